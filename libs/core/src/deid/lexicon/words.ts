/**
 * Word lists for the de-identification detectors. All entries are lower case and without accents
 * (the scanner folds "José" to "jose" before looking a word up).
 */

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** Words that may be capitalised but are not names (function words, frequent verbs, domain nouns). */
export const COMMON_WORDS = words(`
a about above across act action actions active acute add additional address adult adults after again
against age agency aid alert alerts all allow also always am among an analysis and annual another any
apply approved are area as ask assessment assist at audience audit available back background bath bed
beds before begin being below best between beyond bill blanket board body both brief bring but by call
calls campaign can car care case cases center centre check checks child children city clean click
close closed common community complete consider contact continue could county court crib cribs crisis
critical current daily data date day days death deaths department describe description details did do
does done down draft drop during each early east education effective either emergency end ensure
enter every evaluate even ever every evidence exposure family families federal fire first follow
following for form found free from full further general get give go good group guidance had has have
he health help her here hers high him his home homes hospital hotline how however i if immediate
immediately important in include including infant information injuries injury inside instead intake
into is it its just keep key kinship last law least less let level like line local make many may
medical meeting might missing more most much must my national near need needs never new next no non
none nor north not note notice now number of off office officials often on once one only open or order
other our out outside over own page parents part per place plan please plans policy pool post
prevent prevention prior program programs protective provide public questions rate read recall
recommendations record records region regional remember remind remove report reports required
requirements resources response review risk rule rules safe safely safety same say school screen
section see seek send service services set several shall share she should sign since sleep so some
south staff state states statewide status step still stop such summary support sure system take team
than that the their them then there these they this those through time to today together too
topic total training treat under unit until up update updated upon us use used very visit visits
was we week weeks well were west what when where whether which while who whom whose why will with
within without would yes yet you your yours zero
unsafe never always soon today tonight yesterday tomorrow
alone back crib also note tips warning warnings reminder reminders overview background purpose scope
summary actions action required recommended optional effective immediately attention important update
what happened why matters next steps who when where how
education involvement initiative cafes cafe raising box kids safe kinship foster group staff station
room floor building suite form table figure chapter article item appendix exhibit phase tier grade
level version step stage part volume issue bulletin memo memorandum directive guideline guidelines
worldwide against drunk driving doe roe unknown anonymous redacted withheld
english spanish somali nepali arabic french vietnamese chinese hmong russian ukrainian haitian creole
`);

/** Capitals that read like initials but are a mail header's prefix or a time zone ("RE:", "FW:", "10 a.m. ET"). */
export const MAIL_AND_TIME_ZONE_ABBREVIATIONS = words(`re fw fwd cc et ct mt pt est cst mst pst edt cdt mdt pdt hst akst`);

/** Month and weekday names (lower case, with common abbreviations). */
export const CALENDAR_WORDS = words(`
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miércoles miercoles jueves viernes sábado sabado domingo
pebrero marso hunyo hulyo setyembre oktubre nobyembre disyembre lunes martes miyerkules huwebes biyernes linggo
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
`);

/**
 * Words that turn a preceding capitalised run into an organisation, place, law, event or product
 * ("Jackson County", "Erin's Law", "Martin Luther King Jr. Day", "Kennedy Krieger Institute").
 * Deliberately excludes words that are common surnames (Hill, Park, Wells, Brooks, Fields...).
 */
export const ORG_SUFFIX_WORDS = words(`
county counties city township parish borough village lake lakes river creek beach falls bay valley
hospital hospitals clinic clinics center centers centre institute university college school schools
elementary academy department dept police sheriff memorial foundation fund library museum church
chapel ministries society association coalition alliance council commission board agency agencies precinct precincts defenders advocates assoc assn
services authority law laws act acts alert alerts day days week syndrome disease house place station
airport stadium mall plaza program programs programme project initiative partnership network hotline
unit team review rule amendment award scholarship method model scale protocol shelter shelters cafe
inc llc corp corporation company co ltd foods brands industries enterprises solutions systems technologies labs motors holdings pharmacy group trust bank insurance health healthcare medical pediatrics
tribe tribes nation nations band bands pueblo pueblos rancheria indians reservation
plant plants factory mill store stores shop casino restaurant diner farm farms ranch motel hotel warehouse
methodist presbyterian catholic lutheran regional general children's street avenue road boulevard
ave blvd rd hwy pkwy ln highway drive lane court nation tribe band pueblo rancheria reservation campus hall dam harbor harbour reservoir
canyon springs island islands bayou parkway expressway interstate bridge trailhead marina pier wharf landing airport
`);

/** US states and a few country names (a possessive before "children", "foster" etc. is not a person). */
export const PLACE_WORDS = words(`
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma
oregon pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin wyoming
america american canada united kingdom columbus chicago detroit cleveland cincinnati toledo akron
dayton atlanta boston denver phoenix seattle portland houston dallas austin memphis nashville
baltimore philadelphia pittsburgh milwaukee minneapolis springfield riverside westside eastside
`);

/** Nationality, tribal-nation and language adjectives ("the Navajo family" is not a surname). */
export const GROUP_WORDS = words(`
native navajo cherokee lakota ojibwe choctaw hopi apache seminole muscogee creek chickasaw osage
hispanic latino latina latinx black white asian african caucasian somali hmong amish mexican
guatemalan honduran salvadoran haitian vietnamese korean chinese filipino indian arab arabic
`);

/** Titles that introduce a surname or full name. */
export const NAME_TITLES = words(`mr mrs ms miss mx dr sgt det officer deputy detective trooper judge nurse señora señor senora senor doña dona srta`);

/** Capitalised words that act as a title before a given name ("Aunt Lorraine", "Baby Elijah"). */
export const KIN_TITLES = words(`aunt auntie uncle grandma grandpa granny nana papa baby little brother sister cousin`);

/** Staff titles: a name right after (or described by) one of these is a notice contact or signatory. */
export const STAFF_TITLES = words(`
director manager coordinator administrator specialist liaison chief commissioner supervisor lead
analyst consultant chair chairperson secretary superintendent epidemiologist trainer educator
officer counsel governor mayor senator representative deputy program
`);

/** Role-mailbox words: an email local part made only of these is an agency mailbox. */
export const ROLE_MAILBOX_WORDS = words(`
safety child children safe sleep info information intake hotline notice notices alert alerts noreply
no reply donotreply do not support help helpdesk desk contact contacts admin office offices report
reports press media news communications comms training licensing icwa unit team review cfrt fatality
fatalities program programs services service dcf dcfs dhs dss cps cws hr webmaster postmaster
acknowledgments acknowledgements ack mailbox line center centre inquiries inquiry questions feedback
records legal policy quality qa data it sne exchange partnership region regional county state tribal liaison
coordinator director manager specialist ombudsman ombuds panel committee board council nurse nursing line desk inbox cfsr cqi
after hours afterhours night weekend emergency oncall duty press
agency general main public health family families foster care kinship protection prevention
seguridad infantil familia ninez niñez proteccion protección ayuda contacto avisos aviso atencion atención oficina programa
`);

/** Consumer mail providers: any address there belongs to an individual. */
export const CONSUMER_MAIL_DOMAINS = words(`
gmail.com googlemail.com yahoo.com ymail.com hotmail.com outlook.com live.com msn.com aol.com icloud.com
me.com mac.com protonmail.com proton.me gmx.com gmx.net mail.com comcast.net att.net sbcglobal.net
verizon.net charter.net cox.net bellsouth.net earthlink.net zoho.com yandex.com
`);

/** Short function words (not counted when deciding whether a line is title case). */
export const SMALL_WORDS = words(`a an the and or of to in on at for by with from as vs nor but per via into over`);

/** Words common in notices and file names that the English list lacks (not names). */
export const NAME_EXTRA_WORDS = words(`
prelim bday bodycam toolkit checklist infographic webinar covid fentanyl naloxone narcan suid sids sudc epsdt
medicaid cps dcs dcf dfps icwa cfrt casa gal oxycodone methadone buprenorphine suboxone xylazine telehealth
onesie bassinet bassinets playard playards swaddle swaddles pacifier carseat booster airbag cellphone
email e-mail online inbox voicemail sharepoint zoom teams
pediatric pediatrics pediatrician paediatric perinatal neonatologist orthopedic anesthesia hematoma methamphetamine
`);
