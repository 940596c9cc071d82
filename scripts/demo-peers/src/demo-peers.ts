// The addresses the api's seed connects the demo organisation to: read from its build.
import { DEMO_PEERS } from '@toonbank/api/dist/cli/demo-peer-addresses.js';
import { BlueskyPeer, FakePlcDirectory, MastodonPeer, MetaPeer } from '@toonbank/channels/testing';

/** What customers of an energy company write, in Dutch: outages, invoices, moves, meter readings. */
const OPENINGS = [
  'Mijn stroom is al sinds vanochtend weg in de Kerkstraat. Wanneer komt er iemand?',
  'Storing in heel Utrecht-Oost? Hier doet niks het meer.',
  'Mijn jaarafrekening is twee keer zo hoog als vorig jaar, dat kan niet kloppen.',
  'Waarom is mijn termijnbedrag zonder bericht verhoogd?',
  'Ik verhuis volgende maand naar Zwolle, hoe zet ik mijn contract over?',
  'Mijn meterstanden worden niet geaccepteerd in de app.',
  'Ik heb al drie keer gebeld over mijn slimme meter, niemand komt.',
  'Kan ik mijn termijnbedrag verlagen? Ik verbruik veel minder sinds de zonnepanelen.',
  'De monteur is niet komen opdagen, ik heb de hele ochtend vrij genomen.',
  'Ik krijg een aanmaning terwijl ik gewoon betaald heb.',
  'Wanneer krijg ik mijn teruggave? Het is al zes weken.',
  'Gasgeur in de straat, moet ik jullie bellen of de netbeheerder?',
];
const FOLLOW_UPS = [
  'Nog steeds niks gehoord...',
  'Is er al nieuws?',
  'Hallo? Iemand?',
  'Mijn klantnummer is 4410298, als dat helpt.',
  'Het is nu al twee uur, de koelkast begint te lekken.',
  'Dank voor de snelle reactie!',
];
const CUSTOMERS = [
  ['ana', 'Ana de Wit'],
  ['bram', 'Bram Koster'],
  ['chantal', 'Chantal Mulder'],
  ['daan', 'Daan Peeters'],
  ['eva', 'Eva Jansen'],
  ['fatima', 'Fatima El Amrani'],
  ['gert', 'Gert van Dijk'],
  ['hanna', 'Hanna Smit'],
] as const;

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;

export interface DemoPeersOptions {
  /** Where the Meta peer delivers its signed webhooks (the API). */
  apiUrl: string;
  metaAppSecret: string | undefined;
  /** Milliseconds between two customer messages on average. */
  everyMs: number;
  log: (line: string) => void;
}

/**
 * Local fake channels for the demo (`npm start`): a Mastodon instance, a Bluesky PDS (with the
 * PLC directory that names it) and a Facebook page that speak the channels' APIs, with a steady
 * trickle of customers writing in.
 */
export async function runDemoPeers(options: DemoPeersOptions): Promise<() => Promise<void>> {
  const mastodon = await new MastodonPeer({
    accessToken: DEMO_PEERS.mastodon.accessToken,
    username: 'demo_energie',
    domain: 'social.example',
  }).start(DEMO_PEERS.mastodon.port);
  const plc = await new FakePlcDirectory().start(DEMO_PEERS.plc.port);
  const bluesky = await new BlueskyPeer({
    handle: DEMO_PEERS.bluesky.handle,
    appPassword: DEMO_PEERS.bluesky.appPassword,
    did: DEMO_PEERS.bluesky.did,
    plc,
  }).start(DEMO_PEERS.bluesky.port);
  const meta = await new MetaPeer({ pages: [DEMO_PEERS.meta.page] }).start(DEMO_PEERS.meta.port);

  const writers: (() => Promise<void>)[] = [
    async () => {
      const [name, display] = pick(CUSTOMERS);
      mastodon.mention({
        acct: `${name}@social.example`,
        displayName: display,
        text: pick(Math.random() < 0.3 ? FOLLOW_UPS : OPENINGS),
        language: 'nl',
      });
    },
    async () => {
      const [name, display] = pick(CUSTOMERS);
      bluesky.mention({
        handle: `${name}.bsky.social`,
        displayName: display,
        text: pick(Math.random() < 0.3 ? FOLLOW_UPS : OPENINGS),
        langs: ['nl'],
      });
    },
    async () => {
      if (!options.metaAppSecret) return;
      const [name, display] = pick(CUSTOMERS);
      const { delivery } = meta.pageComment({
        pageId: DEMO_PEERS.meta.page.id,
        text: pick(OPENINGS),
        from: { id: String(6000 + CUSTOMERS.findIndex(([n]) => n === name)), name: display },
      });
      const status = await meta.deliver(
        `${options.apiUrl}/api/webhooks/meta`,
        delivery,
        options.metaAppSecret,
      );
      if (status !== 200) options.log(`the webhook answered ${status}`);
    },
  ];

  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(
      () => {
        pick(writers)().catch((error: unknown) =>
          options.log(`demo peer: ${error instanceof Error ? error.message : error}`),
        );
        next();
      },
      options.everyMs * (0.5 + Math.random()),
    );
  };
  next();
  options.log(
    `demo channels: Mastodon ${mastodon.url}, Bluesky ${bluesky.url} (DIDs at ${plc.url}), Meta ${meta.url}`,
  );
  return async () => {
    clearTimeout(timer);
    await Promise.all([mastodon.close(), bluesky.close(), plc.close(), meta.close()]);
  };
}
