/**
 * Hand-made given-name lists (common US given names across several decades and communities),
 * used beside compromise's lexicon of names. Lower case, without accents.
 */

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/**
 * Given names that are rarely ordinary words or places. A capitalised occurrence is treated as a
 * personal name even without a context word (unless it is part of an organisation or place name,
 * or a contact/signatory line).
 */
export const STRONG_FIRST_NAMES = words(`
aaliyah aaron abby abdul abigail abril ada adam addison adeline adrian adriana ahmed aidan aiden aisha
alana alejandra alejandro alex alexa alexander alexandra alexis alfredo ali alicia alina alisha alison
allison alyssa amanda amara amari amelia amir amy ana anastasia andre andrea andres andrew andy angela
angelica angelina anna annabelle anthony antonio anya ariana arianna ariel arjun armando arturo ashley
ashton aubrey audrey aurelio ava avery axel ayden bailey barbara beatriz becky benjamin bernadette
bethany betty beverly bianca blake bobby bradley brady braxton brayden brenda brendan brett brian
brianna bridget brittany brody brooklyn bruce bryan bryce bryson caden caitlin caleb calvin camden
camila cameron camille carla carlos carmen carolyn carson casey cassandra catherine cecilia cesar
chad charlene charles cheryl chloe christian christina christine christopher cindy claire clara
claudia clayton cody colby cole colton connor corey courtney craig cristian curtis cynthia daisha
damian damon dana daniel daniela danielle danny darius darnell darryl david dawson dayana deandre
deborah deja delaney denise dennis derek derrick deshawn desiree devin devon diana diane diego dolores
dominic donald donna donovan dorothy douglas dustin dylan easton eddie edgar eduardo edward elaine
eleanor elena eli elias elijah elizabeth ella ellie emanuel emilia emiliano emily emma emmanuel enrique
eric erica erik erin esmeralda esperanza esteban esther ethan eugene evan evelyn ezekiel ezra fatima
felicia felipe fernando florence francesca francisco gabriel gabriela gabriella gavin genesis george
gerald gianna gilbert giovanni giselle gloria gonzalo gregory greta gustavo hadley hailey haley hannah
harold harper hassan hayden heather hector heidi henry hernan hugo ian ibrahim imani irene iris isaac
isabel isabella isaiah isla ismael itzel ivan jacob jacqueline jaden jaiden jake jalen jamal jamie
janelle janet janice jared jasmine jason javier jaxon jayce jayden jaylen jaylin jayson jeffrey
jenna jennifer jeremiah jeremy jerome jesse jessica jesus jillian jimmy joanna joaquin jocelyn joel
johanna john johnny jonah jonathan jorge jose joseph joshua josiah juan julia julian juliana julie
julio justin kaden kai kaitlyn kaleb kamari kara karen karina karla kasey katelyn katherine kathleen
kathryn katie kayden kayla kaylee keisha keith kelly kelsey kendall kendra kenneth kenya kevin khalil
kiara kimberly kinsley kristen kyle kylie landon larry latasha latoya laura lauren layla leah leilani
leonardo leslie liam lila liliana lillian lily linda lindsey lisa logan lorena lorenzo lorraine luis
luna lydia lyla mackenzie madeline madelyn maggie makayla malachi malik mandy manuel marcus margaret
maria mariah mariana marisol marissa marlene marquis martha martin marvin mary mateo matthew maurice
maya megan melanie melissa mercedes mia micah michael michaela michelle miguel mikayla miles miranda
miriam mohamed mohammed monica morgan mya nadia naomi natalia natalie nathan nathaniel nayeli nevaeh
nicholas nicole noah noelle nora olivia omar oscar owen pablo paige pamela patricia patrick paula
pedro penelope peyton priscilla rachel rafael ramon randy raquel raul rebecca reggie renee ricardo
richard riley roberto robert rodney rodrigo roman rosa rosalind ruby rudy ruth ryan ryder sabrina
sadie samantha samuel sandra santiago sara sarah savannah scarlett sean sebastian selena serenity
sergio shana shanice shaniqua shannon sharon shawn shawna sheila shelby sherry sierra skylar sofia
sophia sophie stacy stella stephanie steven susan sydney tamara tameka tamika tania tanya tasha
tatiana taylor teresa terrell theodore theresa thomas tiana tiffany timothy tina tonya travis trevor
tristan troy tyrone valentina valeria vanessa veronica victor victoria vincent walter wesley whitney
william willie xavier yadira yasmin yolanda yvonne zachary zainab zane zoe zoey walt dwayne jermaine
latrice marcel rashad tyrell kiana jada jaylah kenji mei hiroshi minh linh nguyen thanh huong
priya ravi rohan sanjay deepak anjali aryan omari kwame ama kofi abdi hodan farah yusuf amina
leroy clarence earl floyd herbert lloyd vernon wanda gladys mildred marjorie doris ethel agnes
bernice lucille rosemary juanita yesenia guadalupe consuelo graciela rocio alondra jazmin
ronald gary jerry terry roger ralph howard russell phillip philip louis harry fred albert joe carl arthur
lawrence stanley leonard gordon alan allen norman ruben tommy tony jim jon ricky doug greg tim tom mike
steve dave dan ben sam matt nick chris pete bob rob ron ken jeff kurt duane glenn jerome lonnie marlon
gina tracy tracey stacey debra debbie kathy cathy patty peggy sally nancy joyce judy judith ann anne annie
jean joan joanne marie marilyn gail rhonda tammy kristin kristy krista melinda belinda tara carrie jill
laurie beth ellen helen louise alice rita connie vicki sherri terri toni gwendolyn loretta bonnie sylvia
`);

/**
 * Given names that are also common words, places or surnames used for places (Will, Grace,
 * Jordan, Austin, Madison...). Only accepted as names with a context word or title, or when the
 * same word was already found as a name elsewhere in the notice.
 */
export const WEAK_FIRST_NAMES = words(`
will mark grace hope faith joy summer autumn april may june august rose ivy daisy violet pearl amber
crystal dawn destiny trinity angel harmony heaven chase hunter carter mason jordan austin dallas
houston madison jackson lincoln washington jefferson franklin hamilton kennedy savannah charlotte
georgia virginia carolina dakota montana phoenix denver aurora london paris israel jade sky river rain
storm bill art sue pat drew ray guy rich frank miles rusty brook brooks king prince major royal
legend journey genesis justice honor liberty serenity melody sunny goldie ginger candy brandy
sandy misty cherry holly olive hazel jasmine iris ruby willow sage wren raven reed fisher ford
baker cooper parker tucker porter walker spencer wade dean grant lane gene kent wayne lucas warren
marion clay cruz santos luz dolly penny patience precious unique
`);

