/**
 * Demo articles used to populate a fresh database so the site has something
 * to read (and pay for) on first start. The teaser is free; the body is the
 * paid text, plain paragraphs separated by a blank line.
 */

export interface DemoArticle {
  slug: string;
  title: string;
  teaser: string;
  body: string;
  priceSat: number;
  topic: string;
  authorUsername: 'admin' | 'alice' | 'bob';
  daysAgo: number;
}

const paragraphs = (...parts: string[]): string => parts.join('\n\n');

export const demoArticles: readonly DemoArticle[] = [
  {
    slug: 'what-channel-liquidity-really-means',
    title: 'What Channel Liquidity Really Means',
    teaser:
      'Every Lightning node operator eventually discovers that having bitcoin is not the same as being able to receive it. Here is a practical tour of inbound capacity, outbound capacity and why the difference shapes everything.',
    body: paragraphs(
      `A Lightning channel is a shared balance between two parties, locked in a single on-chain output and updated off-chain by exchanging signed commitment transactions. The total never changes while the channel is open; only the split between the two sides moves. That simple fact has a consequence newcomers find surprising: if all of the coins sit on your side, you can send but you cannot receive a single satoshi through that channel, because there is nothing on the other side to push toward you.`,
      `Operators call the two halves outbound and inbound liquidity. Outbound is what you can spend; inbound is what others can pay you. A merchant needs plenty of inbound, a wallet that mostly pays bills needs outbound, and a routing node needs both in reasonable proportion across many peers. When you open a channel with your own funds you start with all outbound and zero inbound, which is why a brand new shop node often cannot accept its first payment.`,
      `There are a handful of ways to acquire inbound capacity. You can spend through the channel, which moves the balance naturally. You can ask a well-connected peer to open a channel toward you, sometimes for a fee through a liquidity marketplace. You can perform a submarine swap, sending coins off-chain to a service that returns them to you on-chain, leaving the channel with room to receive. Each approach trades money, time or trust in a slightly different mix.`,
      `Routing adds another layer. A payment from Alice to Carol through Bob needs enough balance at every hop, in the right direction, at the moment the HTLCs are set up. Senders do not know the exact balances of remote channels, only their capacities, so pathfinding is partly guesswork informed by past failures. A failed attempt is cheap, but a wallet that tries ten routes before one succeeds feels slow, and that is a user experience problem rather than a cryptography problem.`,
      `Fees are the tool operators use to steer flow. Each channel advertises a base fee and a proportional rate in parts per million. Raising the rate on a depleted channel discourages traffic that would drain it further; lowering it on a channel with too much local balance invites payments that rebalance it for free. Good operators treat fees less like a price list and more like a thermostat, adjusting slowly and watching what happens over days rather than minutes.`,
      `None of this is exotic once you picture the channel as a bead on a string that slides between two people. The protocol guarantees nobody can steal the bead; liquidity management is about keeping it somewhere useful. For a small publishing site like this one, the practical advice is short: open a couple of channels to reliable, well-connected peers, buy or swap for some inbound capacity, and check occasionally that readers can still reach you.`,
    ),
    priceSat: 1000,
    topic: 'Lightning Network',
    authorUsername: 'admin',
    daysAgo: 0,
  },
  {
    slug: 'the-penny-gap-revisited',
    title: 'The Penny Gap, Revisited',
    teaser:
      'For twenty-five years the conventional wisdom has been that people will never pay tiny amounts for things they read online. The argument was mostly right, but for reasons that are starting to change.',
    body: paragraphs(
      `Around the turn of the century two essays set the terms of the debate about paying small sums on the internet. Clay Shirky argued that micropayments would fail because users hate making decisions, and every purchase, however small, is a decision. Nick Szabo made a related point with a sharper name: mental transaction costs. The cognitive effort of deciding whether an article is worth four cents can easily exceed the four cents, so rational people simply refuse to engage.`,
      `Investors later popularised the phrase "the penny gap" for the enormous behavioural distance between free and any price at all. Moving a customer from zero to one cent turns out to be harder than moving them from one dollar to ten. Free products spread by word of mouth; priced products must justify themselves at every click. Advertising and subscriptions won the web largely because they let readers make one decision, or none, instead of hundreds.`,
      `There was also a plain mechanical problem. Card networks charge a fixed fee per transaction, often a few tens of cents, plus a percentage. A ten-cent sale can cost more to process than it earns, so publishers had to bundle. Bundles became subscriptions, subscriptions became paywalls, and paywalls became the blunt instrument we know today, where a reader who wants one article from a regional newspaper must commit to a monthly plan and a cancellation process.`,
      `Payment channels attack the mechanical problem directly. When the marginal cost of settling a few hundred satoshis is close to nothing, a single article can carry a single price. That does not make the mental cost vanish, and anyone who claims otherwise is selling something. What it does is let publishers experiment with designs that were previously impossible: prices low enough to feel like a tip, pay-once links that never expire, or a pre-funded balance that quietly ticks down.`,
      `The psychological side is where the interesting work now lies. Evidence from app stores and games suggests people happily make small purchases when the price is predictable, the value is clear before paying, and the act of paying takes a second. A generous free teaser, a visible price and a payment that completes with one scan address all three. None of these ideas are new; the difference is that the plumbing no longer forbids them.`,
      `It would be naive to predict that micropayments will replace advertising or subscriptions. The more likely future is a mixed one, in which a reader who arrives from a link can pay a small amount for exactly what they came for, without an account or a relationship. That is a modest ambition. It is also the one the early web promised and never delivered, which makes it worth building carefully.`,
    ),
    priceSat: 1000,
    topic: 'Economics',
    authorUsername: 'admin',
    daysAgo: 3,
  },
  {
    slug: 'night-train-to-trieste',
    title: 'Night Train to Trieste',
    teaser:
      'A couchette, a paper bag of apricots and eleven hours of borderland. Notes from a slow journey to the city at the edge of the Adriatic.',
    body: paragraphs(
      `The train left Vienna a little after nine, under a sky the colour of weak tea. My compartment held six narrow berths, two of them already occupied by a retired couple from Graz who had brought a tablecloth. They spread it over the fold-down table with great ceremony, set out bread, cheese and a jar of pickles, and offered me a share before I had finished putting my bag on the rack. I contributed apricots. Diplomatic relations were established.`,
      `Night trains compress geography into sensation. You cannot see the Semmering pass in the dark, but you can feel it, the carriage leaning into curves that were engineered in the 1850s by men who had never seen a locomotive climb a mountain. Every so often the lights of a village swung past, a church tower lit from below, a single figure on a platform waiting for a train that was not ours. Then the darkness closed again.`,
      `I slept badly and happily, the way one does on trains. At some point the carriage was uncoupled and shunted, a clanking that sounded catastrophic and turned out to be routine. At another point a conductor knocked to check tickets, glanced at mine, and wished me a good night in three languages. By the time the blinds showed grey, we were rolling through limestone country, low scrub and stone walls and the first umbrella pines.`,
      `Trieste arrives suddenly. The line descends along the cliffs, and then the whole Gulf opens beneath you, flat and silver, with the city stacked against the hills at its edge. It is a place that has belonged to several empires and never fully to any of them. The architecture is Viennese, the coffee is serious, the street names are in Italian and Slovene, and the wind, the famous bora, can knock a grown adult off balance on the seafront.`,
      `I spent the morning in a café where the waiter understood my order before I had finished it, which is to say he corrected it. A capo in b, he explained patiently, is an espresso macchiato served in a glass, and that was what I wanted, whatever I had said. He was right. I watched the harbour and the ferries and the old men reading three newspapers each, and felt the particular calm of having arrived slowly.`,
      `Flying would have taken ninety minutes and delivered me to the same city as a slightly different person, tired in a thinner way. The train gave me a couple from Graz, a mountain felt rather than seen, and a dawn over the karst. I am not sentimental about rail travel; the berths are narrow and the heating is unpredictable. But there is a kind of attention a journey earns when it takes the whole night, and I would not trade it.`,
    ),
    priceSat: 500,
    topic: 'Travel',
    authorUsername: 'alice',
    daysAgo: 6,
  },
  {
    slug: 'the-patience-of-a-sunday-ragu',
    title: 'The Patience of a Sunday Ragù',
    teaser:
      'A real ragù asks for almost nothing except time. Here is how to give it four unhurried hours, and why the waiting is the recipe.',
    body: paragraphs(
      `Most recipes are a list of actions. A slow meat sauce is closer to a list of intentions, because the real work is done by heat and time while you do something else. Start with the base: one onion, one carrot and one stick of celery, all chopped small and cooked gently in olive oil with a knob of butter. Give them a good fifteen minutes on low heat. They should soften and turn sweet, not brown.`,
      `Next comes the meat. A mixture of beef and pork gives the best balance, roughly half a kilo in total for four generous portions. Turn the heat up, add the meat in pieces, and resist the urge to stir constantly. You want some of it to catch and colour on the bottom of the pan, because those browned bits carry most of the flavour. Break it up only once it has had a chance to sear.`,
      `Pour in a glass of dry white wine and scrape the bottom of the pan as it bubbles. Many people reach for red, and that works, but white keeps the sauce brighter and lets the meat taste like itself. Once the wine has almost disappeared, add a splash of whole milk. It sounds strange and it is traditional in Bologna: the milk softens the meat and rounds off the acidity of the tomato that follows.`,
      `Now the tomato: a tin of good passata or crushed tomatoes, a spoonful of concentrated paste loosened with water, salt, and a bay leaf if you have one. Bring it to the barest simmer, partly cover the pot, and walk away. For the next three hours your only job is to check every half hour, stir, and add a splash of water or stock if it looks dry. The surface should tremble, never boil.`,
      `Somewhere around the second hour the kitchen begins to smell different, deeper and almost sweet, and the sauce darkens to a brick red. This is the moment people are tempted to stop. Keep going. By the fourth hour the meat will have collapsed into the tomato, the fat will shine at the edges, and a spoonful will coat the back of the spoon. Taste for salt only now, when it has finished reducing.`,
      `Serve it with a ribbon pasta such as tagliatelle, which holds the sauce far better than spaghetti, and a modest amount of grated Parmigiano. Leftovers improve overnight and freeze perfectly, which is the quiet argument for making a double batch. A Sunday ragù is not difficult. It simply refuses to be hurried, and in a week full of things that must be done quickly, there is something restorative about a dish that insists on its own pace.`,
    ),
    priceSat: 300,
    topic: 'Cooking',
    authorUsername: 'bob',
    daysAgo: 9,
  },
  {
    slug: 'tomatoes-on-a-fourth-floor-balcony',
    title: 'Tomatoes on a Fourth-Floor Balcony',
    teaser:
      'You do not need a garden to grow food, only a little light, a few containers and a willingness to learn from what dies. A season of city growing, honestly reported.',
    body: paragraphs(
      `My balcony is two metres by one, faces south-west, and sits four floors above a bus route. When I decided to grow vegetables on it, friends with actual gardens were politely sceptical. They were right to be, in the sense that my first season produced a number of expensive lessons. They were wrong in the sense that by August I was eating tomatoes I had grown myself, warm from the sun, and that turned out to be worth all of it.`,
      `The first lesson was light. Leafy greens tolerate shade, but fruiting plants such as tomatoes, peppers and beans need six or more hours of direct sun. Before buying anything, I spent a weekend noting where the shadows fell at different times of day. The sunniest corner, against the railing, went to tomatoes; the shadier strip by the wall became home to lettuce, rocket and a stubborn clump of mint that has since tried to take over everything.`,
      `The second lesson was containers, and specifically their size. Small pots look tidy but dry out within hours on a hot, windy balcony, and a tomato plant in a small pot spends its life stressed. I switched to buckets of at least twenty litres, with drainage holes drilled in the bottom, and filled them with a good peat-free compost mixed with a little grit. The difference in vigour was dramatic within a fortnight.`,
      `Watering was the third lesson, and the hardest. Container plants depend entirely on you, and in July that can mean watering morning and evening. Irregular watering causes split fruit and a condition called blossom end rot, where the base of the tomato turns black and leathery. A cheap fix helped enormously: plastic bottles with the bottoms cut off, pushed neck-down into the soil, which I could fill quickly and which delivered water slowly to the roots.`,
      `Wind was the lesson nobody warned me about. Four floors up, gusts can snap a tall plant in an afternoon. I tied the tomatoes loosely to bamboo canes with strips of old T-shirt, which hold firm without cutting into the stems, and chose compact bush varieties the following year. I also learned to lay the plants down on the floor of the balcony during the worst summer storm, which made the neighbours laugh and saved the crop.`,
      `By the end of the season I had harvested perhaps six kilos of tomatoes, endless salad and more mint than any household needs. In purely economic terms this was not a triumph. But I had learned to notice the weather, to recognise the smell of a healthy plant, and to talk with the woman on the floor below, who grows chillies and shares seeds. A balcony garden is small. What it changes is not.`,
    ),
    priceSat: 200,
    topic: 'Gardening',
    authorUsername: 'alice',
    daysAgo: 13,
  },
  {
    slug: 'the-quiet-labour-of-open-source-maintenance',
    title: 'The Quiet Labour of Open-Source Maintenance',
    teaser:
      'Writing the code is the glamorous part. Keeping it alive for a decade, for strangers, mostly without pay, is the part that holds the internet together.',
    body: paragraphs(
      `Ask people to picture open-source work and they imagine someone writing clever code late at night. That happens, but it is a small fraction of the job once a project has users. The rest is reading bug reports, reproducing problems on systems you do not own, reviewing contributions from people whose context you do not share, updating dependencies, and answering the same installation question for the fortieth time with the same patience you showed the first.`,
      `The hardest part of maintenance is saying no. Every feature request comes from someone with a real need, and many arrive with a working pull request attached. Accepting it feels generous. But each new option is a permanent promise to test, document and support it, long after the contributor has moved on. Good maintainers learn to decline kindly, explain the reasoning, and suggest an extension point instead, so the project stays small enough for them to understand.`,
      `Security adds a layer of pressure that hobby projects were never designed for. A library written as a weekend experiment can end up inside banking software and medical devices. When a vulnerability is reported, the maintainer is suddenly responsible for a coordinated fix, a release, an advisory and a flood of downstream questions, often while holding a day job. Several high-profile incidents in recent years have made this painfully visible, and the fixes usually fell on one or two tired people.`,
      `Burnout is the predictable result. The warning signs are familiar to anyone who has maintained something popular: dread when opening the notification inbox, irritation at polite questions, a growing list of issues quietly ignored. Healthy projects counter this deliberately. They write down how decisions are made, recruit co-maintainers before they are desperate, label good first issues, and treat a release cadence as something that serves the maintainers rather than something the maintainers serve.`,
      `Money helps, though less than people hope. Sponsorship platforms, foundation grants and support contracts can pay for time, but they rarely pay enough to replace a salary, and they can introduce obligations of their own. The most effective support is often unglamorous: companies that depend on a project letting their engineers contribute fixes during working hours, triage issues, and review pull requests. Attention is the scarcest resource in open source, and it can be donated.`,
      `If you use open-source software, and everyone does, there are small things that make a real difference. Write bug reports with a minimal reproduction. Read the contributing guide before opening a pull request. Say thank you when something works, not only when it breaks. And if a project you rely on looks tired, ask how you can help rather than when the next release is coming. The people on the other end are volunteers, and they notice.`,
    ),
    priceSat: 1000,
    topic: 'Software',
    authorUsername: 'admin',
    daysAgo: 17,
  },
  {
    slug: 'mainz-1455-what-gutenberg-actually-sold',
    title: 'Mainz, 1455: What Gutenberg Actually Sold',
    teaser:
      'The printing press is remembered for the Bible. The business that made it possible ran on something far more ordinary: short, cheap, printed forms sold in their thousands.',
    body: paragraphs(
      `Johannes Gutenberg is remembered for one book, and rightly so. The great Latin Bible that left his workshop in Mainz in the mid-1450s, set in two columns of forty-two lines, remains one of the most beautiful objects ever printed. Fewer than fifty copies survive, in whole or substantial part, out of a print run usually estimated at around one hundred and eighty. Yet the Bible was a slow, expensive project, and it was not what kept the workshop solvent.`,
      `Printing demanded capital on a scale that few craftsmen could raise. Type had to be cut, cast and set by hand, paper and vellum bought in quantity, and presses built and staffed for years before a large book could be sold. Gutenberg borrowed heavily from a Mainz financier, Johann Fust. In 1455 Fust sued to recover his loans, and the court record of that dispute is one of the main documents we have about the enterprise.`,
      `What could be sold quickly were small jobs. Among the earliest dated products of printing in Mainz are letters of indulgence, single sheets issued in the name of the Church to raise money, with blank spaces left for the buyer's name and the date. They were printed in large numbers, filled in by hand, and sold across the region. Calendars, grammars for schoolboys and short pamphlets followed the same logic: modest, repeatable and in steady demand.`,
      `This is the part of the story that modern publishers might recognise. The prestige product established the technology and the reputation, but the cash flow came from volume, from many people paying a small sum for something short and immediately useful. Printers across Europe learned the lesson quickly. By 1500, presses were operating in well over two hundred towns, and the books of that first half century, the incunabula, are counted in tens of thousands of editions.`,
      `The shape of the book changed with the market. In Venice, Aldus Manutius began issuing classical texts in small octavo volumes around 1501, set in a compact new italic type. They were portable, comparatively affordable and aimed at readers rather than libraries. A generation later, the pamphlets of the Reformation showed what cheap print could do to public argument, as short texts in the vernacular were reprinted in city after city faster than any authority could answer them.`,
      `Gutenberg himself did not grow rich. After the lawsuit, much of his equipment passed to Fust and to Peter Schöffer, a former assistant who became one of the great printers of the age. Gutenberg continued to work in some form and late in life received a modest pension from the Archbishop of Mainz. His invention succeeded because others found the business model: a few landmark books, supported by an endless stream of small, cheap, printed things.`,
    ),
    priceSat: 2500,
    topic: 'History',
    authorUsername: 'admin',
    daysAgo: 22,
  },
  {
    slug: 'your-first-year-under-the-night-sky',
    title: 'Your First Year Under the Night Sky',
    teaser:
      'You do not need a telescope to begin astronomy. A pair of binoculars, a red torch and twelve months of clear evenings will show you more than you expect.',
    body: paragraphs(
      `The most common mistake beginners make is buying a telescope first. A telescope magnifies a tiny patch of sky, and if you do not yet know where things are, you will spend your evenings pointing it hopefully at nothing. Start instead with your eyes and a star chart, either a rotating paper planisphere or a phone app set to night mode. The goal for the first month is simply to learn a handful of bright constellations by sight.`,
      `Darkness matters more than equipment. Your eyes take twenty to thirty minutes to adapt fully to the dark, and a single glance at a white screen undoes much of that work. Astronomers use dim red light because it preserves night vision; a torch with red film over the lens works perfectly. Even in a suburban garden, shielding yourself from streetlights and waiting half an hour will double the number of stars you can see.`,
      `When you are ready for an instrument, choose binoculars. A pair marked 7x50 or 10x50 gathers far more light than the eye, shows a wide field that makes things easy to find, and costs a fraction of a decent telescope. Brace your elbows on a fence or lie back in a garden chair to keep the view steady. You will be surprised how much detail appears once the image stops shaking.`,
      `The Moon is the best first target, but not when it is full. Look along the terminator, the line between day and night, where low sunlight throws long shadows across craters and mountain ranges. The view changes every evening as the line moves. Jupiter is the next delight: on most nights binoculars will show up to four of its largest moons as tiny points in a line, and their positions shift from night to night.`,
      `In winter in the northern hemisphere, find Orion and look just below his belt for a faint misty patch. That is the Orion Nebula, a cloud of gas where new stars are forming, about thirteen hundred light-years away. In autumn, look for the Andromeda Galaxy, a faint oval smudge that is the most distant thing most people can see without a telescope. The light reaching your eye left it about two and a half million years ago.`,
      `Keep a simple notebook: date, time, sky conditions and what you saw, with a rough sketch if you like. Over a year you will watch the constellations rotate through the seasons, catch a meteor shower or two, and start to recognise planets by the way they shine steadily while stars twinkle. By then you will know exactly what kind of telescope you want, and why, which is the best possible reason to buy one.`,
    ),
    priceSat: 100,
    topic: 'Astronomy',
    authorUsername: 'admin',
    daysAgo: 27,
  },
  {
    slug: 'notes-from-behind-the-counter',
    title: 'Notes from Behind the Counter of a Small Bookshop',
    teaser:
      'Seven years of running an independent bookshop in a market town: what sells, what does not, and why the till is the least interesting part of the job.',
    body: paragraphs(
      `People who come into the shop often say that owning a bookshop must be a dream. It is, in the sense that I get to spend my days among books and the people who love them. It is also a retail business with thin margins, heavy stock and a landlord, and the dream survives only because I treat it as both at once. Most days are spent on the second part, quietly, so that the first can happen out front.`,
      `The economics are simple and unforgiving. A new book arrives at a discount from the publisher, typically leaving the shop somewhere between thirty and forty-five percent of the cover price, out of which come rent, wages, heating, card fees and the occasional broken window. Unsold books can usually be returned, but returns cost postage and time. A shop like mine survives on turning stock over, which means choosing carefully what goes on the shelves.`,
      `Choosing is the real craft. Bestsellers pay the bills, but customers can buy them anywhere, and often more cheaply. What brings them back is the table of things they would never have found on their own: a reissued novel from the 1950s, a strange little book about fungi, a local history written by someone who lives two streets away. I keep a notebook of what customers ask for and cannot find, and it shapes every order I place.`,
      `Recommendations are the heart of the trade. A good one is not about telling someone what I liked; it is about listening carefully enough to hear what they liked and why. A man who loved a particular thriller may actually love the setting, or the pace, or the sense of a competent person solving a problem. When I get it right, he comes back a month later to tell me, and then he brings his daughter.`,
      `Events fill the shop in a way ordinary trading never does. An author reading on a wet Thursday evening can draw forty people, sell sixty books and, just as importantly, remind the town that the shop is a place where things happen. A monthly book group, a children's story hour on Saturday mornings and a shelf of staff picks with handwritten cards do more for the business than any advertising I have ever paid for.`,
      `There are hard months, usually February, when the till is quiet and the rent is not. But there are also moments that no spreadsheet measures: a teenager who came in for a school set text and left with three novels of her own choosing, an elderly customer who asks me to order the same poetry anthology for every grandchild. A small bookshop is a business, first and always. It is also, on a good day, a small public good.`,
    ),
    priceSat: 1000,
    topic: 'Small Business',
    authorUsername: 'bob',
    daysAgo: 33,
  },
  {
    slug: 'the-boring-budget-that-finally-stuck',
    title: 'The Boring Budget That Finally Stuck',
    teaser:
      'After years of elaborate spreadsheets that lasted three weeks, I found a budgeting system so dull it actually worked. Here is what it looks like and why it lasts.',
    body: paragraphs(
      `I have started, and abandoned, more budgets than I can count. There was the spreadsheet with forty categories and colour-coded formulas, the app that wanted me to tag every coffee, and the envelope system that ended with envelopes scattered across the kitchen. Each failed the same way: it demanded constant attention, and the first busy month broke it. The budget I use now is deliberately boring, and it has survived four years.`,
      `It begins with the only number that really matters: what arrives in my account each month after tax. From that I subtract the fixed costs I cannot easily change, such as rent, utilities, insurance, transport and minimum debt payments. I review these once a year, not once a week. Whatever is left is the real budget, and seeing it written as a single figure was more useful than any pie chart I ever made.`,
      `The next step is to pay my future self first. On the day my salary arrives, a standing order moves a fixed amount into savings before I can see it or spend it. At first the amount was small, barely five percent, because a target I could keep beat an ambitious one I would abandon. Every time my income rose, I increased the transfer by half of the rise, so my lifestyle grew a little and my savings grew too.`,
      `Within savings there are just two pots. The first is an emergency fund, built up slowly toward several months of essential expenses, held somewhere boring and accessible. The second is for predictable irregular costs: car repairs, annual subscriptions, birthdays, the dentist. These are not surprises, only bills that arrive unevenly, and spreading them across the year removed most of the panic I used to feel whenever one turned up.`,
      `Everything else goes into a single spending account, and I stop tracking categories entirely. If the balance is healthy, I spend without guilt; if it looks thin in the third week, I cook at home and skip the impulse purchases. This is the part enthusiasts dislike, because it gives up detailed data. But I never used the data. What I needed was a simple signal I would actually look at, and one balance turned out to be enough.`,
      `Once a month I spend twenty minutes with a cup of tea checking three things: that the transfers happened, how the emergency fund is growing, and whether any fixed cost has crept up. That is the entire system. It will not make anyone rich quickly, and it is not a substitute for proper advice on pensions or investments. What it did was turn money from a source of low-level anxiety into something I barely think about, which was the goal all along.`,
    ),
    priceSat: 5000,
    topic: 'Personal Finance',
    authorUsername: 'admin',
    daysAgo: 40,
  },
];
