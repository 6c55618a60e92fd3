// Made-up news-like articles for tests and benchmarks, varied so that none deduplicates.
// Written by the Turnout project; no real article text.

const TOWNS: Array<[string, string]> = [
  ['Dayton', 'Ohio'], ['Tucson', 'Arizona'], ['Boise', 'Idaho'], ['Madison', 'Wisconsin'], ['Albany', 'New York'],
  ['Tacoma', 'Washington'], ['Eugene', 'Oregon'], ['Fresno', 'California'], ['Omaha', 'Nebraska'], ['Durham', 'North Carolina'],
  ['Richmond', 'Virginia'], ['Savannah', 'Georgia'], ['Lansing', 'Michigan'], ['Duluth', 'Minnesota'], ['Burlington', 'Vermont'],
  ['Santa Fe', 'New Mexico'], ['Reno', 'Nevada'], ['Spokane', 'Washington'], ['Asheville', 'North Carolina'], ['Bangor', 'Maine'],
];
const SIZES = ['Hundreds of', 'Dozens of', 'About 150', 'More than 1,000', 'Several hundred', 'Thousands of'];
const WHO = ['protesters', 'demonstrators', 'residents', 'students', 'union members'];
const MONTHS = ['January', 'February', 'March'];

export interface CorpusArticle {
  name: string;
  text: string;
  town: string;
  state: string;
  date: string;
}

export function makeArticle(i: number, paragraphs = 6): CorpusArticle {
  const [town, state] = TOWNS[i % TOWNS.length]!;
  const month = (Math.floor(i / TOWNS.length) % 3) + 1;
  const day = (i % 27) + 1;
  const date = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const pub = `2026-${String(month).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`;
  const size = SIZES[i % SIZES.length]!;
  const who = WHO[i % WHO.length]!;
  const lines = [
    `date ${pub}`,
    '',
    `${size} ${who} rally in ${town} (story ${i})`,
    '',
    `${size} ${who} rallied outside City Hall in ${town}, ${state}, on ${MONTHS[month - 1]} ${day}, 2026, calling for an end to the raids. Report number ${i}.`,
  ];
  for (let p = 0; p < paragraphs; p++) {
    lines.push(
      '',
      `Speakers at the rally in ${town} took turns at the microphone for paragraph ${p} of story ${i}, and the crowd chanted as traffic slowed on the avenue. ` +
        `Police were on scene and officers closed two lanes; organizers said the march would continue to the courthouse, where a second rally was held in the afternoon.`,
    );
  }
  return { name: `article-${String(i).padStart(5, '0')}.txt`, text: lines.join('\n') + '\n', town, state, date };
}
