/**
 * Built-in list of common English nouns (lowercase, singular) from which the synthetic world draws
 * its concept names, topic words and filler. Internal to the generator: never exported.
 *
 * @module
 */

/**
 * Common English nouns, written for this generator (not copied from any corpus). Most are single
 * tokens of the bert-base-uncased vocabulary. Order matters: the generator's shuffle is seeded, so
 * editing this list changes every generated dataset (bump `SYNTHETIC_GENERATOR_VERSION`).
 */
export const NOUNS: readonly string[] = `
ability absence academy accent access accident account acid act action activity actor
address administration adult advance advantage adventure advice affair agency agent agreement
aid aim air aircraft airport alarm album alcohol alley alliance ally altar amount analysis
ancestor angle animal ankle answer anxiety apartment apple application appointment approach
april arch architect architecture archive area arena argument arm armor army arrival arrow art
article artist ash aspect assembly asset assignment assistant association atmosphere attack
attempt attention attic attitude attorney audience aunt author authority autumn avenue award
baby back background bacon badge bag bakery balance balcony ball ballet balloon band bank
banner bar bargain barn barrel base basin basket bat bath battery battle bay beach beam bean
bear beard beast beat bed bedroom bee beef beer bell belly belt bench berry bicycle bill bird
birth bishop blade blanket blast block blood bloom board boat body bolt bomb bond bone
bonus book boom boot border boss bottle bottom boulder boundary bow bowl box boy bracket brain
branch brand brass bread breakfast breath brick bride bridge brother brush bubble bucket budget
buffalo building bulb bull bullet bundle burden bureau bus bush business butter button cabin
cabinet cable cafe cage cake calendar calf call camel camera camp campaign canal cancer candle
candidate candy cannon canoe canvas canyon cap capital captain car carbon card care career cargo
carpet carriage cart case cash castle cat catalog cattle cave ceiling cell cellar cement census
center century ceremony chain chair chairman chalk chamber champion chance channel chapel
chapter character charge charity chart chase cheese chef chemical chest chicken chief child
chimney chin chip chocolate choice choir church cigarette cinema circle circus citizen city
claim class classroom clay clerk client cliff climate clinic clock closet cloth cloud club
clue coach coal coast coat code coffee coin collar colleague collection college colony color
column comedy comfort command comment commission committee community company compass
competition complaint computer concept concert conclusion concrete condition conference
confidence conflict congress connection consent contact container contest context contract
control convention conversation cook cookie copper copy coral cord core corn corner corridor
cost costume cottage cotton council counter country county couple courage course court cousin
cow crack craft crane crash cream credit creek crew cricket crime crisis critic crop cross
crowd crown crystal cup cupboard curtain curve cushion custom customer cycle dairy dam damage
dance danger darkness data date daughter dawn day deal dealer death debate debt decade decision
deck decree deer defense degree delay delivery demand dentist department deposit depth deputy
desert design desk detail detective device diagram dialogue diamond diary diet dinner direction
director dirt disaster disc discipline discount discovery disease dish distance district ditch
doctor document dog doll dollar dolphin domain donkey door dot dough dozen draft dragon drain
drama drawer drawing dream dress drill drink driver drop drug drum duck dust duty eagle ear
earth east echo economy edge editor education effect effort egg elbow election electricity
element elephant elevator emergency emotion emperor empire employee employer energy engine
engineer entrance entry envelope environment episode equipment error essay estate evening event
evidence exam example exchange exercise exhibit exit expert explosion export exposure eye
fabric face factory failure fair faith falcon family fan farm farmer fashion fate father fault
favor fear feast feather fee fence ferry festival fever fiber fiction field fig figure file film
filter finance finger fire firm fish fist flag flame flash fleet flesh flight flood floor flour
flower flute fog folk food foot football force forest fork form formula fortune forum fossil
foundation fountain fox frame freedom freight friend frog front frost fruit fuel fun function
fund funeral fur furnace furniture future gallery game gap garage garden garlic gas gate gear
gem gene generation genius gesture ghost giant gift girl glacier glass glove glue goal goat
gold golf government governor grain grammar grandfather grandmother grape graph grass grave
gravity grid grief grocery ground group growth guard guest guide guitar gulf gun habit hair
hall hammer hand handle harbor hardware harvest hat hawk head health heart heat heaven hedge
height helmet herb hero highway hill hint history hobby hole holiday home honey hook hope horizon
horn horse hospital host hotel hour house household hunter hurricane husband hut ice idea
identity illness image impact import income index industry infant inflation influence injury
ink inn input insect inside inspector instance instinct institute instruction instrument
insurance intention interest interior internet interview invention investment invitation iron
island issue item jacket jail jar jaw jazz jeans jelly jet jewel job joint joke journal journey
joy judge juice jungle jury justice kettle key keyboard kid kidney king kingdom kitchen kite
knee knife knot knowledge label labor laboratory ladder lady lake lamb lamp land landscape lane
language lantern lap laptop laser laughter laundry lawn lawyer layer leader leaf league leather
lecture ledge leg legend lemon length lesson letter level liberty library license lid life
lifetime light limb limit line link lion lip liquid list literature liver lizard load loan lobby
lobster location lock locomotive log logic loss lounge love luck lumber lunch lung machine
magazine magic magnet maid mail mainland majority maker mall mammal man manager mansion
manual manuscript map marble march margin marine mark market marriage mask mass master match
material matter maze meadow meal measure meat mechanic medal media medicine meeting melody
member memory menu merchant message metal meter method middle midnight mile milk mill mind
mine mineral minister minority minute mirror mission mist mixture model module moment monarch
money monitor monk monkey monster month monument mood moon morning mortgage mosque moss mother
motion motor mound mountain mouse mouth movement movie mud muscle museum mushroom music
musician mystery nail name nation nature navy neck needle neighbor nerve nest net network news
newspaper night noise noon north nose note notebook notice novel number nurse nut oak object
ocean office officer oil onion opera operation opinion option orange orbit orchard orchestra
order organ origin outcome outline oven owl owner oxygen pace package page pain paint painter
painting pair palace palm pan panel paper parade parent park parliament partner party passage
passenger passport past pasta pastry path patient pattern pause pavement payment peace peach
peak pearl peasant pen pencil penguin pension people pepper performance period permit person
pet phase phone photo phrase physician piano picture pie piece pig pigeon pile pillow pilot
pin pine pipe pirate pit pitch pizza place plain plan plane planet plant plastic plate platform
player plaza pleasure plot pocket poem poet poetry point poison pole police policy pond
pool port portrait position post pot potato pottery powder power practice prairie prayer
premium presence present president press pressure price pride priest prince princess principle
print prison prize problem process produce product profession professor profile profit program
project promise proof property prophet proposal prospect protein protest province pub public
pump pumpkin pupil puppet purpose puzzle pyramid quarry quarter queen question queue quilt
rabbit race radar radio rail railway rain rainbow ranch range rank rat rate ratio raven ray
reaction reader reality reason receipt recipe record recovery reef referee reform region
relation relative relief religion remedy rent report republic request research reserve resort
resource response rest restaurant result retreat review revolution reward rhythm rib ribbon
rice rider ridge rifle ring riot risk ritual rival river road robot rock rocket role roll roof
room root rope rose route row rubber rug rule ruler rumor saddle safety sail sailor salad salary
sale salmon salt sample sand sandwich satellite sauce sausage scale scandal scene schedule
scheme scholar school science scientist score screen screw script sculpture sea seal season seat
second secret secretary section sector seed segment senate senator sense sentence series
servant server service session settlement shade shadow shape share shark sheep sheet shelf shell
shelter sheriff shield shift ship shirt shock shoe shop shore shoulder show shower shrine side
sign signal silence silk silver singer sister site situation size skeleton sketch skill skin
skirt skull sky slave sleep slice slope smoke snack snake snow soap soccer society sock sofa
soil soldier solution son song soul sound soup source south space spark speaker species speech
speed spider spine spirit sponge spoon sport spot spring square squirrel stable stadium staff
stage stair stake stamp standard star statement station statue steak steam steel stem step stick
stock stomach stone stool store storm story stove strategy straw stream street strength stress
string structure student studio style subject suburb success sugar suit summer summit sun
supper supply surface surgeon surgery surprise survey suspect swamp sweater sword symbol
syndrome system table tail tailor talent tank tape target task taste tax taxi tea teacher team
tear technique technology teenager telephone telescope television temple tenant tennis tent
term terminal territory test text theater theme theory therapy thread threat throat throne
thumb thunder ticket tide tiger timber time tin tip tissue title toast tobacco toe toilet tomato
tone tongue tool tooth topic tornado torch tower town toy track tractor trade tradition traffic
tragedy trail train trainer transport trap tray treasure treaty tree trend trial triangle tribe
trick trip troop trophy truck trumpet trunk trust truth tube tunnel turkey turtle tutor twin
umbrella uncle union unit universe university valley value van variety vase vegetable vehicle
vein velvet venture verse vessel veteran victim victory video view village vine violin virus
vision visit visitor voice volcano volume vote voyage wage wagon waist wall wallet war wardrobe
warehouse warning warrior watch water wave wealth weapon weather web wedding week weight well
west whale wheat wheel whip wife wilderness will wind window wine wing winner winter wire wisdom
witness wolf woman wonder wood wool word work worker workshop world worm wound yard year youth
zone
`.split(/\s+/).filter((w) => w.length > 0);
