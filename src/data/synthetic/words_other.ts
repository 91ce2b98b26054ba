/**
 * Built-in lists of common English adjectives, past-tense verbs, person names and function words
 * for the synthetic generator. Internal to the generator: never exported.
 *
 * @module
 */

function words(text: string): readonly string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Common English adjectives (modifiers of two-word concept names, topic and filler words). */
export const ADJECTIVES: readonly string[] = words(`
able absolute abstract active actual acute adequate advanced aerial afraid aged agile alert
alive alpine amazing ambitious ample ancient angry annual anxious apparent arctic arid artistic
asleep atomic attractive automatic available average awake aware awful bald bare basic bent
big bitter black blank blind blonde blue bold boring brave brief bright brilliant broad broken
brown busy calm capable careful casual central certain cheap chemical chief civil classic clean
clear clever close cloudy coastal cold colonial comic common complete complex concrete constant
content cool correct costly cozy crazy creative crimson critical crooked crowded crucial cruel
cultural curious current curved cute daily damp dark dead deaf dear decent deep delicate dense
desperate digital direct dirty distant divine domestic double dramatic dry dull dusty eager
early eastern easy eerie elder electric elegant empty endless enormous entire equal essential
eternal even evil exact excellent exotic expensive external extra extreme faint fair false
familiar famous fancy far fast fat fatal federal fierce final fine firm flat fluffy
foreign formal former fragile free frequent fresh friendly frozen full funny fuzzy gentle
genuine giant gifted glad global golden good gothic grand grateful gray great green grim gross
guilty handsome happy hard harsh healthy heavy helpful hidden high hollow holy honest hot huge
humble hungry icy ideal idle ill immense imperial inner innocent intense internal iron jolly
junior just keen kind large late lazy lean legal light likely liquid little live lively local
lone lonely long loose loud lovely low loyal lucky lunar mad magic main major male mature mean
medical medieval mental mere mild military minor mobile modern modest moist moral muddy mutual
narrow nasty national native natural naval near neat negative nervous neutral new nice noble
noisy normal northern novel nuclear odd official old open optical oral orange ordinary organic
original outer pale parallel partial passive past patient peaceful perfect permanent personal
petty physical pink plain pleasant plastic polar polite poor popular positive potential
powerful precious pregnant present pretty primary prime private professional profound proper
proud public pure purple quick quiet radical random rapid rare raw ready real recent red
regional regular relevant remote rich rigid ripe rival robust romantic rotten rough round
royal rubber rude rural rusty sacred sad safe salty same scarlet secret secure senior sensitive
separate serious severe shallow sharp sheer short shy sick significant silent silly silver
similar simple sincere single slim slow small smart smooth soft solar solid sore sour southern
spare spatial special spicy splendid square stable stale steady steep sticky stiff still
strange strict strong stupid subtle sudden sunny super superb supreme sure sweet swift tall
tame tender terrible thick thin tidy tight tiny total tough toxic tragic tropical true typical
ugly ultimate unique upper upset urban urgent useful usual vague valid various vast verbal
violent virtual visible visual vital vivid warm wary weak wealthy weekly weird welcome west
western wet white whole wicked wide wild wise wooden worthy wrong young
`);

/**
 * Common English verbs in the past tense (also their past participle), for filler sentences and
 * for the surface forms of relations in the `nq` variant.
 */
export const VERBS: readonly string[] = words(`
accepted achieved acquired adopted advanced affected allowed altered analyzed announced
approved arranged assembled assigned assisted attracted avoided balanced blocked borrowed
brought built captured carried caused celebrated changed checked chose cleaned closed collected
combined completed composed conducted confirmed connected considered constructed contained
controlled converted copied covered created crossed damaged decided defended defined delivered
described designed destroyed detected developed directed discovered discussed displayed divided
donated doubled drafted earned edited elected employed enabled encouraged ended engineered
entered established estimated examined expanded explained explored exported extended faced
filled financed finished fixed followed formed founded funded gathered governed guided handled
headed helped hired hosted identified improved included increased influenced inherited
initiated inspected installed invented invested joined kept launched led limited linked
located maintained managed manufactured marked measured mentioned moved named noticed observed
obtained occupied opened operated ordered organized owned painted performed planned planted
prepared presented preserved printed produced promoted protected proved published purchased
raised reached received recorded reduced reformed rejected released removed renamed repaired
replaced reported rescued restored returned revealed reviewed ruled saved secured selected
served settled shaped shipped signed sold solved sponsored started stored studied supplied
supported surveyed taught tested traded trained translated transported treated tracked
uncovered united updated used visited wrote
`);

/** Common English first names, for person answers in the `nq` variant. */
export const FIRST_NAMES: readonly string[] = words(`
adam alan albert alice amanda amy andrew anna arthur barbara ben betty bill brian bruce carl
carol charles charlotte chris christine clara daniel david dennis diana donald dorothy douglas
edward eleanor elizabeth ellen emily emma eric eugene frank fred george grace harold harry helen
henry howard irene jack james jane jean jeffrey jennifer jessica joan john joseph julia karen
kate kenneth laura lawrence leonard lewis linda louis lucy margaret maria mark martha martin
mary matthew michael nancy oliver patricia paul peter philip rachel ralph raymond rebecca
richard robert roger ruth samuel sarah simon stephen susan thomas victor walter william
`);

/** Common English surnames, for person answers in the `nq` variant. */
export const SURNAMES: readonly string[] = words(`
abbott adams allen armstrong atkinson bailey baker barker barnes bell bennett berry black
bradley brooks brown burke burton butler campbell carter chapman clark clarke cole collins
cook cooper cox crawford davies davis dixon doyle duncan edwards elliott ellis evans fisher
fleming ford foster fox fraser gardner gibson gilbert graham grant gray green griffin hall
hamilton harper harris harrison hart hayes henderson hill holmes hopkins howard hudson hughes
hunt hunter jackson james jenkins johnson jones kelly kennedy king knight lambert lane lawrence
lee lewis lloyd marshall martin mason matthews miller mills mitchell moore morgan morris murphy
murray nelson newton owen palmer parker payne pearson perry phillips porter powell price reed
reid reynolds richards richardson roberts robinson rogers rose russell ryan scott shaw simpson
smith spencer stevens stewart stone sullivan taylor thomas thompson turner walker wallace walsh
ward warren watson webb wells west wheeler white williams wilson wood wright young
`);
