import { mentionsIn } from './mentions';

describe('mentionsIn', () => {
  it.each<[string, string[], string[]]>([
    // [text, initials, emails]
    ['Kun jij even kijken @AB?', ['AB'], []],
    ['@ab en @Ab en @AB', ['AB'], []],
    ['Vraag het @AB.', ['AB'], []],
    ['@AB, @CD: graag', ['AB', 'CD'], []],
    ['(@AB)', ['AB'], []],
    ['Vraag het @anna@demo.test.', [], ['anna@demo.test']],
    ['@Anna.de.Vries@Demo.Test kijk jij?', [], ['anna.de.vries@demo.test']],
    ['mail naar klant@example.com', [], []],
    ['^AB', [], []],
    ['@ alleen een apenstaartje', [], []],
    ['@@AB', [], []],
    ['@ÉB en @éb', ['ÉB'], []],
    ['geen vermelding', [], []],
  ])('%p → initials %p, e-mails %p', (text, initials, emails) => {
    expect(mentionsIn(text)).toEqual({ initials, emails });
  });
});
