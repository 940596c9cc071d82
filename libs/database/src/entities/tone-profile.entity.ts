import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AddressForm, ChannelProvider, ToneLanguage } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';

export interface ForbiddenPhrase {
  phrase: string;
  suggestion: string;
}

/** The organisation's tone of voice (SPEC.md §5); one per organisation. */
@Entity('tone_profiles')
@Check('ck_tone_profiles_language', "language IN ('nl', 'en')")
@Check('ck_tone_profiles_address_default', "address_default IN ('formal', 'informal')")
export class ToneProfileEntity {
  @PrimaryColumn('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('text', { default: 'nl' })
  language!: ToneLanguage;

  @Column('text', { default: 'formal' })
  addressDefault!: AddressForm;

  @Column('jsonb', { default: () => "'{}'" })
  addressPerChannel!: Partial<Record<ChannelProvider, AddressForm>>;

  @Column('boolean', { default: false })
  mirrorCustomer!: boolean;

  @Column('jsonb', { default: () => "'[]'" })
  forbiddenPhrases!: ForbiddenPhrase[];

  @Column('boolean', { default: true })
  signoffRequired!: boolean;

  @Column('text', { default: '\\^[A-Z]{2,3}$' })
  signoffPattern!: string;

  @Column('boolean', { default: false })
  emojiAllowed!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
