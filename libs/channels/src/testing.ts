// @toonbank/channels/testing: the fake peers that speak the channels' APIs over real HTTP, for
// the tests, the benchmarks and the demo (scripts/demo-peers). Production code may not import
// them (eslint.config.mjs).
export * from './fakes/bluesky-entryway';
export * from './fakes/bluesky-peer';
export * from './fakes/fake-server';
export * from './fakes/mastodon-peer';
export * from './fakes/meta-peer';
export * from './fakes/plc-directory';
export * from './fakes/x-peer';
