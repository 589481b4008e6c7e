/**
 * The demo people of the embedded identity provider (../shared/UI.md). Development
 * data only: they exist nowhere else, and the sign-in page says so. Every password is
 * `demo`.
 */
export interface DemoAccount {
  username: string;
  name: string;
  agency: string;
  roles: ('staff' | 'manager')[];
  offices: string[];
}

export const DEMO_PASSWORD = 'demo';

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'irl.staff', name: 'Anna Berger (IRL)', agency: 'irl', roles: ['staff'], offices: [] },
  {
    username: 'wfg.staff',
    name: 'Jonas Keller (WFG Nordsachsen)',
    agency: 'wfg-nordsachsen',
    roles: ['staff'],
    offices: [],
  },
  { username: 'img.staff', name: 'Lea Wagner (IMG)', agency: 'img', roles: ['staff'], offices: [] },
  {
    username: 'blk.staff',
    name: 'Paul Richter (Burgenlandkreis)',
    agency: 'wf-burgenlandkreis',
    roles: ['staff'],
    offices: [],
  },
  {
    username: 'kks.staff',
    name: 'Marie Schulz (KKS Osterzgebirge)',
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
  { username: 'irl.gf', name: 'Geschäftsführung IRL', agency: 'irl', roles: ['manager'], offices: [] },
  {
    username: 'wfg.gf',
    name: 'Geschäftsführung WFG Nordsachsen',
    agency: 'wfg-nordsachsen',
    roles: ['manager'],
    offices: [],
  },
];

export const findDemoAccount = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username);
