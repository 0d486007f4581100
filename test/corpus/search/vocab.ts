/**
 * The vocabularies the search corpus is generated from (data only; the generator is
 * `corpus.ts`). Written for this project, so they carry the project's licence (MIT).
 *
 * Each activity and detail comes as a pair: `doc`, how a document says it, and `query`,
 * how a person looking for it might ask, in near-synonyms (bike for bicycle, mended for
 * repaired) with at most one word in common. The embedding model is GloVe-100d bag of
 * words over whole words (../shared/models/glove-100d-static-onnx, top 30,000 words), so
 * a query finds its document through related words, not through word order.
 */

export interface Phrase {
  readonly doc: string;
  readonly query: string;
}

export interface Domain {
  readonly name: string;
  readonly activities: readonly Phrase[];
  /** A second sentence a document may carry; its query side narrows the search further. */
  readonly details: readonly Phrase[];
  /** Sentences any document of the domain may add; no query ever asks for them (noise). */
  readonly fillers: readonly string[];
}

const p = (doc: string, query: string): Phrase => Object.freeze({ doc, query });

export const DOMAINS: readonly Domain[] = Object.freeze([
  {
    name: 'cooking',
    activities: [
      p('baked a loaf of sourdough bread', 'made homemade yeast bread in the oven'),
      p('cooked a large pot of lentil soup', 'prepared a bean stew for dinner'),
      p('grilled salmon fillets on the barbecue', 'roasted fish over charcoal'),
      p('made strawberry jam from the market fruit', 'preserved berries into a sweet spread'),
      p('fried crispy potato pancakes', 'cooked golden fritters from grated spuds'),
      p('roasted a whole chicken with garlic', 'cooked a garlic hen in the oven'),
      p('brewed a batch of ginger beer', 'fermented a spicy soda at home'),
    ],
    details: [
      p('The crust came out dark and crunchy.', 'the crust turned brown and crisp'),
      p('Too much salt spoiled the flavour.', 'it tasted far too salty'),
      p('The recipe came from an old grandmother notebook.', 'recipe from granny handwritten cookbook'),
      p('Guests asked for second helpings.', 'visitors wanted more portions'),
      p('The kitchen smelled of cinnamon for hours.', 'the house had a cinnamon aroma'),
      p('A burnt pan had to be thrown away.', 'scorched saucepan ended in the bin'),
    ],
    fillers: ['Everything was eaten by evening.', 'The leftovers went into the fridge.', 'It was a simple weeknight meal.'],
  },
  {
    name: 'cycling',
    activities: [
      p('repaired a broken bicycle chain', 'fixed a snapped bike chain'),
      p('replaced the worn brake pads on a mountain bike', 'changed old brakes on an offroad cycle'),
      p('pumped up a flat tyre before a long ride', 'inflated a punctured wheel before cycling'),
      p('rode a racing bike across the hills', 'cycled a road bicycle over the mountains'),
      p('painted an old steel bicycle frame', 'repainted a vintage bike'),
      p('taught a child to ride without training wheels', 'helped a kid learn cycling without stabilisers'),
      p('built a wooden cargo trailer for a bike', 'made a timber carrier towed by a bicycle'),
    ],
    details: [
      p('The gears kept slipping on steep climbs.', 'gear shifting slipped going uphill'),
      p('A spoke snapped halfway through.', 'one wheel spoke broke'),
      p('The saddle was raised by two centimetres.', 'seat height adjusted higher'),
      p('Rain made the descent slippery.', 'wet roads on the way down'),
      p('A new helmet was bought for the trip.', 'purchased a fresh helmet'),
      p('The rear light stopped working at dusk.', 'back lamp failed in the evening'),
    ],
    fillers: ['The route was about forty kilometres long.', 'Nobody got hurt.', 'The workshop closed early that day.'],
  },
  {
    name: 'gardening',
    activities: [
      p('planted tomato seedlings in the greenhouse', 'put young tomatoes into the glasshouse'),
      p('pruned the apple trees in the orchard', 'trimmed branches of fruit trees'),
      p('dug a new vegetable bed behind the shed', 'prepared a fresh veggie plot'),
      p('harvested pumpkins from the allotment', 'picked squashes in the community garden'),
      p('built a compost heap from kitchen scraps', 'started composting food waste'),
      p('sowed wildflower seeds along the fence', 'scattered meadow flower seed by the railing'),
      p('removed weeds from the rose borders', 'pulled out weeds around the roses'),
    ],
    details: [
      p('Slugs ate most of the lettuce.', 'snails destroyed the salad leaves'),
      p('A late frost damaged the blossoms.', 'cold night harmed the flowers'),
      p('The soil was heavy clay and hard to work.', 'the ground was sticky clay'),
      p('Bees visited every morning.', 'lots of pollinating insects came'),
      p('A hosepipe ban meant watering by can.', 'water restrictions so used a watering can'),
      p('The harvest filled three baskets.', 'picked enough to fill several hampers'),
    ],
    fillers: ['The weather stayed mild all week.', 'A neighbour lent a wheelbarrow.', 'Gloves were a good idea.'],
  },
  {
    name: 'plumbing',
    activities: [
      p('fixed a leaking kitchen tap', 'repaired a dripping faucet in the kitchen'),
      p('unblocked a clogged bathroom drain', 'cleared a blocked washroom sink'),
      p('replaced a cracked toilet cistern', 'swapped a broken loo tank'),
      p('installed a new water heater', 'fitted a fresh boiler for hot water'),
      p('insulated frozen pipes in the basement', 'wrapped icy plumbing in the cellar'),
      p('sealed the gaps around the bathtub', 'caulked the edge of the bath'),
      p('mended a burst garden hose', 'patched a split watering hose'),
    ],
    details: [
      p('Water had soaked the carpet underneath.', 'the rug below got wet'),
      p('The plumber charged extra for the weekend.', 'weekend fee from the tradesman'),
      p('A washer the size of a coin was the culprit.', 'a tiny rubber ring caused it'),
      p('The mains valve was stuck and needed oil.', 'main stopcock jammed'),
      p('Hair and soap had built up over years.', 'years of grime and hair'),
      p('The job took a whole afternoon.', 'the repair lasted all afternoon'),
    ],
    fillers: ['Tools were borrowed from next door.', 'The landlord was told afterwards.', 'A bucket caught the drips.'],
  },
  {
    name: 'music',
    activities: [
      p('tuned an old upright piano', 'adjusted the pitch of a vintage piano'),
      p('restrung an acoustic guitar', 'put new strings on a guitar'),
      p('recorded a jazz trio in a small studio', 'taped a jazz band in a recording room'),
      p('rehearsed a violin concerto with the orchestra', 'practised a fiddle piece with the symphony'),
      p('taught drum lessons to teenagers', 'gave percussion classes to young students'),
      p('composed a lullaby for a newborn', 'wrote a cradle song for a baby'),
      p('repaired a cracked cello', 'fixed a split cello body'),
    ],
    details: [
      p('The audience clapped for five minutes.', 'long applause from the crowd'),
      p('A string snapped during the final chorus.', 'a string broke at the end of the song'),
      p('The microphone picked up street noise.', 'the mic caught traffic sounds'),
      p('Humidity made the wood swell.', 'damp air warped the timber'),
      p('The melody was written in a minor key.', 'the tune was sad and minor'),
      p('The metronome was set very slow.', 'practised at a slow tempo'),
    ],
    fillers: ['Coffee kept everyone going.', 'The session ran late.', 'Sheet music covered the floor.'],
  },
  {
    name: 'astronomy',
    activities: [
      p('photographed the rings of Saturn through a telescope', 'took pictures of the ringed planet with a scope'),
      p('watched a total lunar eclipse', 'observed the moon turning red in an eclipse'),
      p('counted meteors during the Perseid shower', 'saw shooting stars in the August shower'),
      p('aligned the mirror of a reflector telescope', 'collimated the optics of a scope'),
      p('spotted the Andromeda galaxy with binoculars', 'found the nearest spiral galaxy with field glasses'),
      p('tracked the space station passing overhead', 'followed the orbiting station in the sky'),
      p('sketched sunspots using a solar filter', 'drew dark spots on the sun through a filter'),
    ],
    details: [
      p('Clouds rolled in after midnight.', 'overcast skies later at night'),
      p('Light pollution from the city washed out the faint stars.', 'urban glow hid dim stars'),
      p('The eyepiece fogged up with dew.', 'condensation on the lens'),
      p('A tripod leg slipped on the frosty grass.', 'the stand wobbled on icy lawn'),
      p('Jupiter and its moons were visible too.', 'also saw the largest planet and satellites'),
      p('The observing log was filled in by torchlight.', 'notes written by flashlight'),
    ],
    fillers: ['Hot tea helped in the cold.', 'The sky was mostly clear.', 'Friends from the club came along.'],
  },
  {
    name: 'health',
    activities: [
      p('sprained an ankle while jogging', 'twisted a foot running'),
      p('had a flu vaccination at the clinic', 'got an influenza jab at the surgery'),
      p('recovered from a broken wrist', 'healed after fracturing an arm bone'),
      p('started physiotherapy for back pain', 'began rehab exercises for a sore spine'),
      p('went for an eye test and got glasses', 'had vision checked and received spectacles'),
      p('treated a bee sting with ice', 'cooled a wasp bite'),
      p('quit smoking after twenty years', 'gave up cigarettes after decades'),
    ],
    details: [
      p('The doctor prescribed rest and painkillers.', 'physician advised rest and pain medication'),
      p('Swelling lasted for a week.', 'it stayed swollen for days'),
      p('The waiting room was crowded.', 'lots of patients queueing'),
      p('A nurse wrapped it in a bandage.', 'bandaged by a nurse'),
      p('Sleep improved within a month.', 'better sleep weeks later'),
      p('An x-ray showed nothing serious.', 'scan found no major injury'),
    ],
    fillers: ['A follow-up was booked.', 'Family helped with shopping.', 'Work was missed for two days.'],
  },
  {
    name: 'finance',
    activities: [
      p('paid off a credit card debt', 'cleared money owed on a card'),
      p('opened a savings account for a daughter', 'started a deposit account for a child'),
      p('filed a tax return before the deadline', 'submitted income taxes on time'),
      p('disputed a wrong electricity bill', 'complained about an incorrect power invoice'),
      p('refinanced the mortgage at a lower rate', 'renegotiated the home loan for cheaper interest'),
      p('sold shares after the market crash', 'dumped stocks when prices collapsed'),
      p('set up a monthly household budget', 'planned family spending each month'),
    ],
    details: [
      p('The bank waived the late fee.', 'lender cancelled the penalty charge'),
      p('A spreadsheet tracked every expense.', 'recorded all costs in a table'),
      p('Interest rates rose again that spring.', 'borrowing costs increased'),
      p('The accountant found a missing receipt.', 'bookkeeper located a lost voucher'),
      p('A refund arrived three weeks later.', 'got the money back weeks later'),
      p('The call centre kept them on hold for an hour.', 'waited ages on the phone line'),
    ],
    fillers: ['Paperwork piled up on the desk.', 'The letter was kept for reference.', 'It was a stressful month.'],
  },
  {
    name: 'pets',
    activities: [
      p('adopted a rescue greyhound', 'took home a retired racing dog'),
      p('trained a puppy to sit and stay', 'taught a young dog basic obedience'),
      p('took a sick cat to the vet', 'brought an ill kitten to the animal doctor'),
      p('cleaned out the rabbit hutch', 'tidied the bunny cage'),
      p('built an aquarium for tropical fish', 'set up a tank for goldfish and guppies'),
      p('found a lost parrot in the park', 'rescued a missing bird among the trees'),
      p('groomed a long-haired sheepdog', 'brushed the coat of a shaggy collie'),
    ],
    details: [
      p('The animal hid under the sofa all day.', 'it stayed hidden under the couch'),
      p('Fleas were discovered during the check.', 'found parasites in the fur'),
      p('A new collar with a name tag was ordered.', 'bought a leash ring with an id badge'),
      p('Treats worked better than scolding.', 'rewards with snacks helped'),
      p('The neighbours complained about barking.', 'people next door annoyed by noise'),
      p('Vaccinations were brought up to date.', 'shots were renewed'),
    ],
    fillers: ['The whole family was delighted.', 'A blanket went into the basket.', 'Walks happened twice a day.'],
  },
  {
    name: 'computing',
    activities: [
      p('upgraded the memory in an old laptop', 'added more RAM to a notebook computer'),
      p('recovered deleted photos from a memory card', 'restored erased pictures from an SD card'),
      p('replaced a failing hard drive', 'swapped a dying disk'),
      p('set up a home wireless network', 'configured wifi at the house'),
      p('removed a virus from the office computer', 'cleaned malware off a work PC'),
      p('wrote a script to back up family documents', 'automated copies of household files'),
      p('built a gaming desktop from parts', 'assembled a custom PC for video games'),
    ],
    details: [
      p('The fan was clogged with dust.', 'cooling fan full of dirt'),
      p('A password reset was needed afterwards.', 'had to change the login'),
      p('The screen flickered until a cable was reseated.', 'display blinking fixed by plugging the lead back'),
      p('The backup took all night to finish.', 'the copy ran overnight'),
      p('An update broke the printer driver.', 'patch stopped the printer working'),
      p('Battery life doubled after the change.', 'charge lasted twice as long'),
    ],
    fillers: ['Instructions were found on a forum.', 'Coffee was spilled once.', 'The receipt went in a drawer.'],
  },
  {
    name: 'travel',
    activities: [
      p('missed a connecting flight after a delay', 'lost an onward plane because of lateness'),
      p('hiked to a mountain hut above the glacier', 'trekked up to an alpine cabin near the ice'),
      p('took the night train across the border', 'rode an overnight railway into another country'),
      p('lost a suitcase at the airport', 'luggage went missing at the terminal'),
      p('rented a campervan for a coastal road trip', 'hired a motorhome to drive along the shore'),
      p('sailed a small boat around the islands', 'cruised a dinghy past the archipelago'),
      p('stayed in a lighthouse converted into a hotel', 'slept in a beacon tower turned guesthouse'),
    ],
    details: [
      p('The passport nearly expired during the trip.', 'travel document almost out of date'),
      p('A storm cancelled the ferry home.', 'bad weather stopped the boat back'),
      p('Local food was the highlight.', 'regional dishes were the best part'),
      p('The hostel overbooked its beds.', 'accommodation had too many guests'),
      p('A stranger helped with directions.', 'someone showed the way'),
      p('The map app had no signal in the valley.', 'phone navigation failed without reception'),
    ],
    fillers: ['Photos were shared with family.', 'The trip lasted a week.', 'Souvenirs filled a bag.'],
  },
  {
    name: 'sports',
    activities: [
      p('won a chess tournament at the library', 'came first in a chess competition'),
      p('finished a marathon in under four hours', 'completed a long distance race quickly'),
      p('coached a junior football team', 'trained young soccer players'),
      p('swam across the lake for charity', 'did a charity swim over the lake'),
      p('climbed an indoor bouldering wall', 'scaled a climbing gym route'),
      p('scored the winning basket in the final', 'made the decisive shot in the championship'),
      p('learned to ski on the beginner slopes', 'took first skiing lessons on easy runs'),
    ],
    details: [
      p('A knee injury nearly ended the season.', 'hurt knee almost stopped the year'),
      p('The crowd chanted the team name.', 'supporters cheered loudly'),
      p('New shoes caused painful blisters.', 'fresh trainers gave sore feet'),
      p('The referee gave a controversial penalty.', 'disputed decision from the umpire'),
      p('A medal was presented by the mayor.', 'the mayor handed over a trophy'),
      p('Training started at six every morning.', 'early morning practice sessions'),
    ],
    fillers: ['Everyone celebrated afterwards.', 'The local paper wrote about it.', 'Water bottles were everywhere.'],
  },
].map((d) => Object.freeze({ ...d, activities: Object.freeze(d.activities), details: Object.freeze(d.details), fillers: Object.freeze(d.fillers) })));

/** Places a document happens in; each is a whole word GloVe knows, and a query repeats it. */
export const CITIES: readonly string[] = Object.freeze([
  'Lisbon', 'Oslo', 'Nairobi', 'Dublin', 'Kyoto', 'Toronto', 'Madrid', 'Prague', 'Vienna', 'Helsinki',
  'Athens', 'Cairo', 'Lima', 'Santiago', 'Bogota', 'Manila', 'Jakarta', 'Seoul', 'Sydney', 'Auckland',
  'Glasgow', 'Marseille', 'Naples', 'Munich', 'Hamburg', 'Krakow', 'Budapest', 'Bucharest', 'Istanbul', 'Beirut',
  'Mumbai', 'Delhi', 'Dhaka', 'Hanoi', 'Bangkok', 'Osaka', 'Shanghai', 'Beijing', 'Montreal', 'Vancouver',
  'Chicago', 'Denver', 'Houston', 'Boston', 'Seattle', 'Atlanta', 'Havana', 'Caracas', 'Quito',
  'Tunis', 'Accra', 'Lagos', 'Dakar', 'Casablanca', 'Reykjavik', 'Copenhagen', 'Stockholm', 'Warsaw', 'Riga',
]);

export const FIRST_NAMES: readonly string[] = Object.freeze([
  'Maria', 'David', 'Anna', 'James', 'Sofia', 'Peter', 'Laura', 'Michael', 'Elena', 'Thomas',
  'Sarah', 'Daniel', 'Nina', 'Robert', 'Julia', 'Paul', 'Clara', 'George', 'Alice', 'Frank',
  'Emma', 'Henry', 'Grace', 'Oscar', 'Rosa', 'Victor', 'Helen', 'Samuel', 'Irene', 'Lucas',
]);

/** Surnames of ordinary documents. */
export const SURNAMES: readonly string[] = Object.freeze([
  'Garcia', 'Smith', 'Novak', 'Kim', 'Silva', 'Müller', 'Rossi', 'Dubois', 'Nowak', 'Costa',
  'Ivanova', 'Tanaka', 'Okafor', 'Mensah', 'Larsen', 'Jensen', 'Horvat', 'Papadopoulos', 'Yilmaz', 'Nguyen',
  'Fischer', 'Moreau', 'Lopez', 'Perez', 'Haddad', 'Sato', 'Kowalski', 'Andersen', 'Popescu', 'Murphy',
]);

/** Surnames only the name-hinged targets carry, each once: outside GloVe's vocabulary, so only the lexical half of `hybrid` can see them. */
export const RARE_SURNAMES: readonly string[] = Object.freeze(['Vaszilyevna', 'Okonkwo-Brandt', 'Thorbjornsen', 'Quillfeather', 'Zabrowskaja']);

export const MONTHS: readonly string[] = Object.freeze(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']);
