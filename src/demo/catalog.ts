import type { SegmentCode } from '../modules/org/org.core.js';
import { hash32, type Rng } from './rng.js';

/** Word lists the demo draws names, companies and texts from. All invented; 555 phone numbers are fictional. */

const FIRST = (
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica ' +
  'Thomas Sarah Charles Karen Chris Nancy Daniel Lisa Matthew Betty Anthony Sandra Mark Ashley Paul Kimberly Steven Emily ' +
  'Andrew Donna Kenneth Michelle Joshua Carol Kevin Amanda Brian Melissa George Deborah Tim Stephanie Ronald Rebecca Jason ' +
  'Laura Ryan Sharon Jacob Cynthia Gary Kathleen Nicholas Amy Eric Angela Jonathan Anna Aisha Wei Olga Mateo Lucia Kenji ' +
  'Fatima Noah Zara Leon Ingrid Pablo Amara Sven Chiara Rafael Leila Arjun Nadia Felix Maya'
).split(' ');
const LAST = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson ' +
  'Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen ' +
  'King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Schmidt ' +
  'Muller Rossi Dubois Kowalski Novak Larsen Yamamoto Chen Singh Patel Okoye Haddad Silva Costa Ivanova Berg Fischer Moreau ' +
  'Jensen Keller Bauer Varga Horvat Ali Khan Park'
).split(' ');

const ADJ = (
  'Able Bright Clear Swift Bold Keen Prime True Blue Green Red Silver Golden Quiet Rapid Smart Happy Lucky Noble ' +
  'Open North South East West Summit Peak River Stone Cedar Maple Pine Oak Iron Copper Crystal Lunar Solar Polar Urban Rural ' +
  'Coastal Alpine Vivid Nimble Steady Brave Calm Grand Little Modern Classic Future Metro Nova Apex Zen Echo Pixel Cloud'
).split(' ');
const NOUN = (
  'Labs Works Forge Harbor Bridge Path Point Nest Hive Field Craft Loop Stack Wave Spark Beam Shift Gate Lane Yard ' +
  'Grove Ridge Bay Mill Port Dock Vault Frame Flow Line Signal Orbit Pulse Scale Sprout Root Leaf Seed Trail Anchor Compass Lantern ' +
  'Kettle Canvas Ledger Atlas Beacon Engine Garden Market Studio Foundry Depot Station Circuit Thread Mosaic'
).split(' ');
const SUFFIX = ['', ' Inc', ' Group', ' Systems', ' Co', ' Software', ' Health', ' Retail', ' Travel', ' Finance'];
const TLD = ['com', 'com', 'com', 'io', 'co', 'ai', 'app', 'net'];
const INDUSTRIES = [
  'Software',
  'E-commerce',
  'Fintech',
  'Healthcare',
  'Education',
  'Travel',
  'Media',
  'Logistics',
  'Real estate',
  'Manufacturing',
  'Marketplaces',
  'Gaming',
];
const COUNTRIES: (readonly [string, number])[] = [
  ['US', 52],
  ['GB', 10],
  ['CA', 6],
  ['DE', 6],
  ['FR', 5],
  ['AU', 4],
  ['NL', 3],
  ['IE', 2],
  ['ES', 2],
  ['SE', 2],
  ['BR', 3],
  ['IN', 3],
  ['JP', 2],
];
const FREE_MAIL = ['gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com'];
const TITLES: Record<SegmentCode, string[]> = {
  ESB: ['Founder', 'Owner', 'CEO', 'Co-founder', 'Office Manager', 'Head of Operations'],
  SMB: ['Head of Support', 'Customer Success Lead', 'VP Marketing', 'Operations Manager', 'Head of Growth', 'Support Team Lead', 'COO'],
  MME: [
    'Director of Customer Experience',
    'VP Customer Support',
    'Head of Digital',
    'CIO',
    'VP Operations',
    'Director of Support Operations',
  ],
};
const EMPLOYEES: Record<SegmentCode, [number, number]> = { ESB: [1, 10], SMB: [11, 200], MME: [201, 8000] };

const SEGMENT_INDEX: Record<SegmentCode, number> = { ESB: 0, SMB: 1, MME: 2 };
const NAME_SPACE = ADJ.length * NOUN.length * SUFFIX.length;
// A stride coprime with NAME_SPACE visits every name once, in an order that does not look alphabetical.
const NAME_STRIDE = 7919;

export type Company = { name: string; domain: string; employees: number; industry: string; country: string };

/**
 * Company number `n` of a segment, always the same company: two leads that draw the same number are two people
 * from one company. Names are unique: (segment, n) maps one-to-one onto adjective x noun x suffix (x generation).
 */
export function companyOf(segment: SegmentCode, n: number): Company {
  const g = n * 3 + SEGMENT_INDEX[segment];
  const p = (g * NAME_STRIDE + 13) % NAME_SPACE;
  const generation = Math.floor(g / NAME_SPACE);
  const adj = ADJ[p % ADJ.length];
  const noun = NOUN[Math.floor(p / ADJ.length) % NOUN.length];
  const suffix = SUFFIX[Math.floor(p / (ADJ.length * NOUN.length))];
  const h = hash32(`${segment}:${n}`);
  const h2 = hash32(`${n}:${segment}`, 0x9747b28c);
  const name = `${adj} ${noun}${suffix}${generation ? ` ${generation + 1}` : ''}`;
  const slug = `${adj}${noun}${suffix.trim()}${generation ? generation + 1 : ''}`.toLowerCase();
  const [lo, hi] = EMPLOYEES[segment];
  const employees = Math.round(Math.exp(Math.log(lo) + ((h2 % 10007) / 10007) * (Math.log(hi) - Math.log(lo))));
  let w = (h2 >>> 14) % 100;
  let country = 'US';
  for (const [c, weight] of COUNTRIES) {
    if (w < weight) {
      country = c;
      break;
    }
    w -= weight;
  }
  return {
    name,
    domain: `${slug}.${TLD[(h >>> 24) % TLD.length]}`,
    employees,
    industry: INDUSTRIES[(h2 >>> 4) % INDUSTRIES.length],
    country,
  };
}

export type Person = { first: string; last: string; email: string; title: string; phone: string | null; freeMail: boolean };

const FREE_MAIL_SHARE: Record<SegmentCode, number> = { ESB: 0.3, SMB: 0.06, MME: 0.01 };

export function personAt(rng: Rng, company: Company, segment: SegmentCode): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const freeMail = rng.chance(FREE_MAIL_SHARE[segment]);
  const local = `${first}.${last}`.toLowerCase();
  const email = freeMail ? `${local}${rng.int(1, 999)}@${rng.pick(FREE_MAIL)}` : `${local}@${company.domain}`;
  const phone = rng.chance(0.45) ? `+1 555 ${String(rng.int(100, 999))} ${String(rng.int(1000, 9999))}` : null;
  return { first, last, email, title: rng.pick(TITLES[segment]), phone, freeMail };
}

export const DISQUALIFY_ON_DATA = ['Personal use', 'Student or job seeker', 'Competitor research', 'Spam sign-up', 'Duplicate'];
export const DISQUALIFY_INBOUND = [
  'No budget',
  'Not a fit: no support team',
  'Too small for a sales-assisted plan',
  'No response',
  'Timing: next year',
];
export const DISQUALIFY_OUTBOUND = [
  'No response after the sequence',
  'No referral to the right person',
  'Happy with current tool',
  'No budget this year',
];
export const DISQUALIFY_HANDOFF = ['AE: not a fit after discovery', 'AE: no decision maker'];
export const LOST_REASONS = [
  'Chose a competitor',
  'No budget',
  'No decision',
  'Timing: next year',
  'Missing feature',
  'Price too high',
  'Trial never activated',
];
export const CHURN_REASONS = ['Low adoption', 'Moved to a competitor', 'Budget cuts', 'Company closed', 'Champion left'];

export const PLAN_OF: Record<SegmentCode, string> = { ESB: 'Starter', SMB: 'Pro', MME: 'Premium' };

/** The page a visitor was on when they converted or opened a chat. */
export const PAGES = {
  website: ['/pricing', '/contact-sales', '/product/inbox', '/customers'],
  signup: ['/signup', '/start-trial'],
  newsletter: ['/blog/support-playbook', '/blog/chat-conversion', '/newsletter'],
  browse: ['/', '/pricing', '/product', '/blog', '/customers', '/docs', '/careers'],
};

/** Teams inside customer companies that use the product (the `team` property of usage events). */
export const CUSTOMER_TEAMS = [
  'Support',
  'Sales',
  'Success',
  'Operations',
  'Marketing',
  'Onboarding',
  'Billing',
  'Product',
  'IT',
  'Partners',
];

/** What customers open support tickets about (`support.ticket_opened` topic). */
export const TICKET_TOPICS = [
  'Messenger not showing on mobile',
  'How to export all data',
  'Billing dispute',
  'Email notifications delayed',
  'SSO setup',
  'Bot answers the wrong question',
];

/** Buyers' comments in the survey, by rating: what "churn and burn" and "trusted advisor" sound like. */
export const SURVEY_COMMENTS: Record<1 | 2 | 3 | 4 | 5, string[]> = {
  1: ['Promised features that do not exist.', 'Pushed us to sign before the trial ended, then disappeared.'],
  2: ['Nobody mentioned the seat minimum until the contract.', 'Too much pressure to close by the end of the month.'],
  3: ['Fine, but the trial setup was left to us.', 'OK process, a bit pushy on timing.'],
  4: ['Good demo, clear pricing.', 'Helpful, answered our security questions quickly.'],
  5: [
    'Understood our support workflow better than we did.',
    'Honest about what the product does not do. Rare.',
    'Set up the trial with us and checked in every week.',
  ],
};
