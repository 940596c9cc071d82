import { TemplateEntity } from '@toonbank/database';
import { presentTemplate, templateAuditView } from './template.presenter';

const templateOf = (overrides: Partial<TemplateEntity> = {}): TemplateEntity =>
  Object.assign(new TemplateEntity(), {
    id: '5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c',
    organisationId: '0b7e1a52-2f4d-4c67-9d0a-6a1b2c3d4e5f',
    name: 'Storing',
    body: 'Beste {{customer.name}}, de storing in {{input.wijk}} is om {{input.tijd}} verholpen. ^{{agent.initials}}',
    providers: ['mastodon', 'bluesky'],
    language: 'nl',
    createdBy: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
    deletedAt: null,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-02-03T04:05:06.789Z'),
    ...overrides,
  });

describe('presentTemplate: the Template of API.md', () => {
  it('maps every field, dates as ISO strings, the body’s slots as inputs', () => {
    const template = templateOf();
    expect(presentTemplate(template, { mastodon: true, bluesky: false })).toEqual({
      id: template.id,
      name: 'Storing',
      body: template.body,
      providers: ['mastodon', 'bluesky'],
      language: 'nl',
      inputs: ['wijk', 'tijd'],
      createdBy: template.createdBy,
      createdAt: '2026-01-02T03:04:05.678Z',
      updatedAt: '2026-02-03T04:05:06.789Z',
      toneOk: { mastodon: true, bluesky: false },
    });
  });

  it.each<[string, Partial<TemplateEntity>, Record<string, unknown>]>([
    ['no slots', { body: 'Dank u wel. ^AB' }, { inputs: [] }],
    ['every provider (none named)', { providers: [] }, { providers: [] }],
    ['any language', { language: null }, { language: null }],
    ['its author since removed', { createdBy: null }, { createdBy: null }],
    ['a slot used twice, listed once', { body: '{{input.a}} en {{ input.a }}' }, { inputs: ['a'] }],
  ])('%s', (_, overrides, expected) => {
    expect(presentTemplate(templateOf(overrides), {})).toMatchObject(expected);
  });

  it('takes the inputs the caller has parsed already, as they are', () => {
    expect(presentTemplate(templateOf(), {}, ['x', 'y']).inputs).toEqual(['x', 'y']);
  });

  it('copies the lists: changing the answer leaves the row alone', () => {
    const template = templateOf();
    const inputs = ['wijk'];
    const toneOk = { mastodon: true };
    const dto = presentTemplate(template, toneOk, inputs);
    dto.providers.push('x');
    dto.inputs.push('more');
    dto.toneOk.x = false;
    expect(template.providers).toEqual(['mastodon', 'bluesky']);
    expect(inputs).toEqual(['wijk']);
    expect(toneOk).toEqual({ mastodon: true });
  });
});

describe('templateAuditView: what the audit log keeps of a template', () => {
  it('is its name, body, providers and language, and nothing else', () => {
    expect(templateAuditView(templateOf())).toEqual({
      name: 'Storing',
      body: templateOf().body,
      providers: ['mastodon', 'bluesky'],
      language: 'nl',
    });
  });
});
