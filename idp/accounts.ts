/**
 * The demo people of the embedded identity provider (../shared/UI.md). Development
 * data only: they exist nowhere else, and the sign-in page says so. Every password is
 * `demo`.
 */
export interface DemoAccount {
  username: string;
  name: string;
  /** The work address (OpenID's `email` claim): where the notifier sends the person's invitations. */
  email?: string;
  agency: string;
  roles: ('staff' | 'manager')[];
  offices: string[];
}

export const DEMO_PASSWORD = 'demo';

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'irl.staff',
    name: 'Anna Berger',
    email: 'anna.berger@invest-region-leipzig.example',
    agency: 'irl',
    roles: ['staff'],
    offices: [],
  },
  // A colleague at IRL: a task is given to someone of the same agency.
  {
    username: 'irl.staff2',
    name: 'Tobias Neumann',
    email: 'tobias.neumann@invest-region-leipzig.example',
    agency: 'irl',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'wfg.staff',
    name: 'Jonas Keller',
    email: 'jonas.keller@wfg-nordsachsen.example',
    agency: 'wfg-nordsachsen',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'img.staff',
    name: 'Lea Wagner',
    email: 'lea.wagner@img-sachsen-anhalt.example',
    agency: 'img',
    roles: ['staff'],
    offices: [],
  },
  // IMG's project manager for the Burgenlandkreis: on site once a week, visits the county's firms with it.
  {
    username: 'img.pm',
    name: 'Stefan Hoffmann',
    email: 'stefan.hoffmann@img-sachsen-anhalt.example',
    agency: 'img',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'blk.staff',
    name: 'Paul Richter',
    email: 'paul.richter@burgenlandkreis.example',
    agency: 'wf-burgenlandkreis',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'kks.staff',
    name: 'Marie Schulz',
    email: 'marie.schulz@osterzgebirge.example',
    agency: 'kks-osterzgebirge',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'ob.leipzig',
    name: 'Oberbürgermeister der Stadt Leipzig',
    agency: 'irl',
    roles: [],
    offices: ['ob-leipzig'],
  },
  {
    username: 'landrat.lkl',
    name: 'Landrat des Landkreises Leipzig',
    agency: 'irl',
    roles: [],
    offices: ['landrat-lk-leipzig'],
  },
  {
    username: 'landrat.nordsachsen',
    name: 'Landrat des Landkreises Nordsachsen',
    agency: 'wfg-nordsachsen',
    roles: [],
    offices: ['landrat-nordsachsen'],
  },
  {
    username: 'irl.gf',
    name: 'Thomas Krause',
    email: 'thomas.krause@invest-region-leipzig.example',
    agency: 'irl',
    roles: ['manager'],
    offices: [],
  },
  {
    username: 'wfg.gf',
    name: 'Sabine Lorenz',
    email: 'sabine.lorenz@wfg-nordsachsen.example',
    agency: 'wfg-nordsachsen',
    roles: ['manager'],
    offices: [],
  },
  {
    // The Landratsamt's Amt für Wirtschaftsförderung: reads the Regionalbudget's figures, handles no enquiry.
    username: 'lra.nordsachsen',
    name: 'Katrin Vogel',
    email: 'katrin.vogel@lra-nordsachsen.example',
    agency: 'lra-nordsachsen',
    roles: ['manager'],
    offices: [],
  },
];

export const findDemoAccount = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username);
