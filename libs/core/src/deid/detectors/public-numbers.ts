/** Prefixes of public numbers: bills, executive orders, federal rules and recalls, grants, publications. */
export const PUBLIC_PREFIX_RE = /^(?:HB|SB|HF|SF|AB|LB|LD|HR|EO|PL|CFR|USC|RFP|RFA|CPSC|FDA|NHTSA|NPCS|ISBN|NIH|CDC|AAP|DOI|PMID|FY|SFY|FFY|OMB|ACF|IM|PI|ACYF|CB|DCL|GAO|OIG|TAC|OAC|WAC|ARM|RCW)-/;
/** A toll-free line, in digits or spelled in letters: 1-800-555-0175, (888) 555 0131, 1-855-503-SAFE, 800-4A-CHILD. */
export const TOLL_FREE_LINE_RE = /^(?:1[-. ]?)?\(?8(?:00|33|44|55|66|77|88)\)?[-. ]?[\dA-Z](?:[-. ]?[\dA-Z]){6,10}$/;
/** The exchange's own notice references (NPCS-2026-0014) are public by design. */
export const NOTICE_REFERENCE_RE = /^NPCS-\d{4}-\d{3,6}$/;
/** The exchange's de-identified references of reviews (R-2026-0007) and critical incidents (CI-2026-0012). */
export const EXCHANGE_REFERENCE_RE = /^(?:R|CI)-\d{4}-\d{4,6}$/;
