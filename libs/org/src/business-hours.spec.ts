import { businessHoursProblems, isBusinessHours, isTimeZone } from './business-hours';

const PAIRS = 'intervals must be ["HH:MM", "HH:MM"] pairs';
const LIST = 'must be a list of at most 6 ["HH:MM", "HH:MM"] intervals';
const NOT_OBJECT = 'must be null or an object of weekdays';
const WEEKDAY_HINT = '(use mon, tue, wed, thu, fri, sat, sun)';
const OFFICE: [string, string][] = [['09:00', '17:00']];

const VALID: [string, unknown][] = [
  ['null (always open)', null],
  ['a closed day beside an open one', { mon: [], tue: OFFICE }],
  ['one day', { mon: OFFICE }],
  [
    'every weekday',
    { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: OFFICE, sun: OFFICE },
  ],
  [
    'a lunch break',
    {
      tue: [
        ['09:00', '12:00'],
        ['13:00', '17:30'],
      ],
    },
  ],
  [
    'intervals that touch',
    {
      wed: [
        ['09:00', '12:00'],
        ['12:00', '17:00'],
      ],
    },
  ],
  [
    'intervals out of order',
    {
      thu: [
        ['13:00', '14:00'],
        ['09:00', '10:00'],
      ],
    },
  ],
  ['the whole day', { fri: [['00:00', '24:00']] }],
  ['the last minute', { sat: [['23:59', '24:00']] }],
  ['one minute', { sun: [['10:00', '10:01']] }],
  ['hours of 19 and 20', { mon: [['19:00', '20:59']] }],
  [
    'six intervals',
    {
      mon: [
        ['01:00', '02:00'],
        ['03:00', '04:00'],
        ['05:00', '06:00'],
        ['07:00', '08:00'],
        ['09:00', '10:00'],
        ['11:00', '12:00'],
      ],
    },
  ],
];

const seven = Array.from({ length: 7 }, (_, i): [string, string] => [`0${i}:00`, `0${i}:30`]);

const NEVER_OPEN = 'must be open at some time of the week (null means always open)';

const INVALID: [string, unknown, string[]][] = [
  ['an empty week', {}, [NEVER_OPEN]],
  ['only closed days', { mon: [], sun: [] }, [NEVER_OPEN]],
  ['an array', [], [NOT_OBJECT]],
  ['an array of intervals', [['09:00', '17:00']], [NOT_OBJECT]],
  ['a string', '09:00-17:00', [NOT_OBJECT]],
  ['a number', 9, [NOT_OBJECT]],
  ['a boolean', true, [NOT_OBJECT]],
  ['undefined', undefined, [NOT_OBJECT]],
  ['a full weekday name', { monday: OFFICE }, [`monday is not a weekday ${WEEKDAY_HINT}`]],
  ['a capitalised weekday', { Mon: OFFICE }, [`Mon is not a weekday ${WEEKDAY_HINT}`]],
  ['a weekday number', { 1: OFFICE }, [`1 is not a weekday ${WEEKDAY_HINT}`]],
  ['an empty key', { '': OFFICE }, [` is not a weekday ${WEEKDAY_HINT}`]],
  ['a string for a day', { mon: '09:00-17:00' }, [`mon ${LIST}`]],
  ['null for a day', { mon: null }, [`mon ${LIST}`]],
  ['an object for a day', { mon: { start: '09:00', end: '17:00' } }, [`mon ${LIST}`]],
  ['a number for a day', { mon: 8 }, [`mon ${LIST}`]],
  ['seven intervals', { mon: seven }, [`mon ${LIST}`]],
  ['a single-digit hour "8:00"', { mon: [['8:00', '17:00']] }, [`mon ${PAIRS}`]],
  ['"24:01"', { mon: [['09:00', '24:01']] }, [`mon ${PAIRS}`]],
  ['"25:00"', { mon: [['09:00', '25:00']] }, [`mon ${PAIRS}`]],
  ['"24:30"', { mon: [['09:00', '24:30']] }, [`mon ${PAIRS}`]],
  ['minute 60', { mon: [['09:60', '17:00']] }, [`mon ${PAIRS}`]],
  ['no colon', { mon: [['0900', '1700']] }, [`mon ${PAIRS}`]],
  ['seconds', { mon: [['09:00:00', '17:00:00']] }, [`mon ${PAIRS}`]],
  ['a space', { mon: [[' 09:00', '17:00']] }, [`mon ${PAIRS}`]],
  ['a trailing newline', { mon: [['09:00', '17:00\n']] }, [`mon ${PAIRS}`]],
  ['a dot', { mon: [['09.00', '17.00']] }, [`mon ${PAIRS}`]],
  ['am/pm', { mon: [['9am', '5pm']] }, [`mon ${PAIRS}`]],
  ['numbers', { mon: [[9, 17]] }, [`mon ${PAIRS}`]],
  ['a single time', { mon: [['09:00']] }, [`mon ${PAIRS}`]],
  ['three times', { mon: [['09:00', '12:00', '17:00']] }, [`mon ${PAIRS}`]],
  ['a string interval', { mon: ['09:00-17:00'] }, [`mon ${PAIRS}`]],
  ['a null interval', { mon: [null] }, [`mon ${PAIRS}`]],
  ['an object interval', { mon: [{ 0: '09:00', 1: '17:00', length: 2 }] }, [`mon ${PAIRS}`]],
  [
    'an end before the start',
    { mon: [['17:00', '09:00']] },
    ['mon 17:00-09:00 must end after it starts'],
  ],
  [
    'an end equal to the start',
    { mon: [['09:00', '09:00']] },
    ['mon 09:00-09:00 must end after it starts'],
  ],
  ['24:00 as a start', { mon: [['24:00', '24:00']] }, ['mon 24:00-24:00 must end after it starts']],
  [
    'an end before the start late in the day',
    { mon: [['22:00', '02:00']] },
    ['mon 22:00-02:00 must end after it starts'],
  ],
  [
    'overlapping intervals',
    {
      mon: [
        ['09:00', '12:00'],
        ['11:00', '13:00'],
      ],
    },
    ['mon intervals overlap'],
  ],
  [
    'overlapping intervals out of order',
    {
      mon: [
        ['11:00', '13:00'],
        ['09:00', '12:00'],
      ],
    },
    ['mon intervals overlap'],
  ],
  [
    'an interval inside another',
    {
      mon: [
        ['09:00', '17:00'],
        ['10:00', '11:00'],
      ],
    },
    ['mon intervals overlap'],
  ],
  ['the same interval twice', { mon: [OFFICE[0], OFFICE[0]] }, ['mon intervals overlap']],
  [
    'two intervals with one start',
    {
      mon: [
        ['09:00', '10:00'],
        ['09:00', '12:00'],
      ],
    },
    ['mon intervals overlap'],
  ],
  [
    'problems on two days',
    { mon: [['8:00', '17:00']], fri: [['17:00', '09:00']] },
    [`mon ${PAIRS}`, 'fri 17:00-09:00 must end after it starts'],
  ],
  [
    'an unknown day next to a bad one',
    { sun: 'closed', holiday: [] },
    [`sun ${LIST}`, `holiday is not a weekday ${WEEKDAY_HINT}`],
  ],
  [
    'a good interval next to a bad one',
    {
      mon: [
        ['09:00', '12:00'],
        ['13:00', '25:00'],
      ],
    },
    [`mon ${PAIRS}`],
  ],
];

describe('businessHoursProblems', () => {
  it.each(VALID)('accepts %s', (_label, value) => {
    expect(businessHoursProblems(value)).toEqual([]);
  });

  it.each(INVALID)('refuses %s', (_label, value, problems) => {
    expect(businessHoursProblems(value)).toEqual(problems);
  });
});

describe('isBusinessHours', () => {
  it.each(VALID)('is true for %s', (_label, value) => {
    expect(isBusinessHours(value)).toBe(true);
  });

  it.each(INVALID)('is false for %s', (_label, value) => {
    expect(isBusinessHours(value)).toBe(false);
  });
});

describe('isTimeZone', () => {
  it.each([
    'Europe/Amsterdam',
    'Europe/London',
    'America/New_York',
    'America/Argentina/Buenos_Aires',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'UTC',
    'Etc/UTC',
    'Etc/GMT+1',
    'Etc/GMT-14',
  ])('accepts %p', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['the empty string', ''],
    ['a made-up zone', 'Mars/Olympus_Mons'],
    ['a misspelt zone', 'Europe/Amsterdm'],
    ['a city without its region', 'Amsterdam'],
    ['a trailing space', 'Europe/Amsterdam '],
    ['a leading space', ' Europe/Amsterdam'],
    ['a backslash', 'Europe\\Amsterdam'],
    ['an out-of-range Etc offset', 'Etc/GMT+15'],
    ['a name over 64 characters', `Europe/${'A'.repeat(60)}`],
    ['null', null],
    ['undefined', undefined],
    ['a number', 1],
    ['an object', { timeZone: 'Europe/Amsterdam' }],
    ['an array', ['Europe/Amsterdam']],
  ])('refuses %s', (_label, zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });
});
