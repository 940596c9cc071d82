import { InitialSchema1795622181169 } from './1795622181169-initial-schema';
import { ConversationNumbers1795630919877 } from './1795630919877-conversation-numbers';
import { RoutingQueueIndex1795625353711 } from './1795625353711-routing-queue-index';
import { OutboundReplies1795700000000 } from './1795700000000-outbound-replies';
import { ReportIndexes1795760000000 } from './1795760000000-report-indexes';
import { Privacy1795800000000 } from './1795800000000-privacy';
import { CredentialBinding1795880000000 } from './1795880000000-credential-binding';
import { SlaPendingIndex1795920000000 } from './1795920000000-sla-pending-index';
import { QuarantinedItems1795930000000 } from './1795930000000-quarantined-items';
import { ReplyDeliveryState1795940000000 } from './1795940000000-reply-delivery-state';

/** Every migration, oldest first. Add new ones at the end; never edit one that has been released. */
export const MIGRATIONS = [
  InitialSchema1795622181169,
  RoutingQueueIndex1795625353711,
  ConversationNumbers1795630919877,
  OutboundReplies1795700000000,
  ReportIndexes1795760000000,
  Privacy1795800000000,
  CredentialBinding1795880000000,
  SlaPendingIndex1795920000000,
  QuarantinedItems1795930000000,
  ReplyDeliveryState1795940000000,
];
