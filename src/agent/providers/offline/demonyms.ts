/**
 * A country and the adjective of its people ("Sweden" / "Swedish"): a request says "Swedish carriers" where
 * the data says COUNTRY = 'Sweden', or "carriers from Sweden" where it says NATIONALITY = 'Swedish'.
 * Generic English, not any one schema.
 */
const PAIRS: [string, string][] = [
  ['Afghanistan', 'Afghan'], ['Albania', 'Albanian'], ['Algeria', 'Algerian'], ['Argentina', 'Argentinian'], ['Australia', 'Australian'],
  ['Austria', 'Austrian'], ['Bangladesh', 'Bangladeshi'], ['Belgium', 'Belgian'], ['Bolivia', 'Bolivian'], ['Brazil', 'Brazilian'],
  ['Bulgaria', 'Bulgarian'], ['Cambodia', 'Cambodian'], ['Cameroon', 'Cameroonian'], ['Canada', 'Canadian'], ['Chile', 'Chilean'],
  ['China', 'Chinese'], ['Colombia', 'Colombian'], ['Croatia', 'Croatian'], ['Cuba', 'Cuban'], ['Cyprus', 'Cypriot'], ['Czechia', 'Czech'],
  ['Denmark', 'Danish'], ['Ecuador', 'Ecuadorian'], ['Egypt', 'Egyptian'], ['England', 'English'], ['Estonia', 'Estonian'],
  ['Ethiopia', 'Ethiopian'], ['Finland', 'Finnish'], ['France', 'French'], ['Germany', 'German'], ['Ghana', 'Ghanaian'], ['Greece', 'Greek'],
  ['Hungary', 'Hungarian'], ['Iceland', 'Icelandic'], ['India', 'Indian'], ['Indonesia', 'Indonesian'], ['Iran', 'Iranian'], ['Iraq', 'Iraqi'],
  ['Ireland', 'Irish'], ['Israel', 'Israeli'], ['Italy', 'Italian'], ['Japan', 'Japanese'], ['Jordan', 'Jordanian'], ['Kenya', 'Kenyan'],
  ['Korea', 'Korean'], ['Latvia', 'Latvian'], ['Lebanon', 'Lebanese'], ['Lithuania', 'Lithuanian'], ['Luxembourg', 'Luxembourgish'],
  ['Malaysia', 'Malaysian'], ['Malta', 'Maltese'], ['Mexico', 'Mexican'], ['Morocco', 'Moroccan'], ['Netherlands', 'Dutch'],
  ['New Zealand', 'New Zealander'], ['Nigeria', 'Nigerian'], ['Norway', 'Norwegian'], ['Pakistan', 'Pakistani'], ['Peru', 'Peruvian'],
  ['Philippines', 'Filipino'], ['Poland', 'Polish'], ['Portugal', 'Portuguese'], ['Romania', 'Romanian'], ['Russia', 'Russian'],
  ['Saudi Arabia', 'Saudi'], ['Scotland', 'Scottish'], ['Senegal', 'Senegalese'], ['Serbia', 'Serbian'], ['Singapore', 'Singaporean'],
  ['Slovakia', 'Slovak'], ['Slovenia', 'Slovenian'], ['South Africa', 'South African'], ['Spain', 'Spanish'], ['Sweden', 'Swedish'],
  ['Switzerland', 'Swiss'], ['Syria', 'Syrian'], ['Taiwan', 'Taiwanese'], ['Thailand', 'Thai'], ['Tunisia', 'Tunisian'], ['Turkey', 'Turkish'],
  ['Ukraine', 'Ukrainian'], ['United Kingdom', 'British'], ['United States', 'American'], ['Uruguay', 'Uruguayan'], ['Venezuela', 'Venezuelan'],
  ['Vietnam', 'Vietnamese'], ['Wales', 'Welsh'],
];

const OTHER = new Map<string, string>(PAIRS.flatMap(([country, people]) => [[country.toLowerCase(), people], [people.toLowerCase(), country]]));

/** The other spelling of a country or its people's adjective ("Swedish" -> "Sweden"), if the phrase is one. */
export function otherNationalForm(phrase: string): string | undefined {
  return OTHER.get(phrase.trim().toLowerCase());
}
