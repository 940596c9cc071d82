import type { ChannelProvider } from '@toonbank/shared';

const NAMES: Record<ChannelProvider, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
};
const MARKS: Record<ChannelProvider, string> = {
  mastodon: 'M',
  bluesky: 'B',
  x: 'X',
  facebook: 'f',
  instagram: 'IG',
};

/** The channel as a small coloured mark with its name for screen readers and on hover. */
export function ChannelIcon({ provider }: { provider: ChannelProvider }) {
  return (
    <span
      className={`channel-icon channel-${provider}`}
      role="img"
      aria-label={NAMES[provider]}
      title={NAMES[provider]}
    >
      {MARKS[provider]}
    </span>
  );
}
