import '@kern-ux/native/dist/fonts/fira-sans.css';
import '@kern-ux/native/dist/kern.min.css';
import './app.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import {
  activeSession,
  CALLBACK_PATH,
  completeSignIn,
  currentSession,
  signIn,
  signOut,
  SIGNED_OUT_PATH,
  type Session,
} from './auth.js';
import { Enquiry } from './screens/enquiry.js';
import { Enquiries } from './screens/enquiries.js';
import { Figures } from './screens/figures.js';
import { SitePage, Sites } from './screens/sites.js';
import { NewSite } from './screens/site-form.js';
import { Firms } from './screens/firms.js';
import { FirmPage } from './screens/firm.js';
import { NewFirm } from './screens/firm-form.js';
import { VisitReport } from './screens/visit-report.js';
import { Leads } from './screens/leads.js';
import { Tasks } from './screens/tasks.js';
import { Votes } from './screens/votes.js';
import { useWaitingTasks, waitingTasks } from './api.js';
import { realFirmTasks, useFirmTasks, waitingFirmTasks } from './firm-tasks.js';
import { loadNames } from './names.js';
import { AgencyName, ErrorAlert, NavLink } from './parts.js';
import { de } from './texts.js';
import { arrivedAt } from './trail.js';

/** The frame every screen shares: skip link, header with who is signed in, navigation, main. */
function App() {
  const { path, route } = useLocation();
  const [session, setSession] = useState<Session | null>(currentSession());
  const [failure, setFailure] = useState<string | null>(null);
  const main = useRef<HTMLElement>(null);
  const named = useNames(session !== null);
  // Every address shown, filters included, so that "Zurück" knows the list one came from.
  const { url } = useLocation();
  useEffect(() => arrivedAt(url), [url]);
  useEffect(() => {
    if (path === CALLBACK_PATH) {
      completeSignIn()
        .then((to) => {
          route(to, true);
          setSession(currentSession());
        })
        .catch((err: Error) => setFailure(err.message));
    } else if (!session && path !== SIGNED_OUT_PATH) {
      // A tab whose token ran out renews it; without a session, off to the provider's sign-in page.
      void activeSession().then((s) => (s ? setSession(s) : signIn()));
    }
  }, []);

  if (failure) {
    return (
      <main id="inhalt" class="kern-container">
        <ErrorAlert detail={de.error(failure)} />
        <button class="kern-btn kern-btn--primary" onClick={() => void signIn('/')}>
          <span class="kern-label">{de.signIn}</span>
        </button>
      </main>
    );
  }
  if (!session && path === SIGNED_OUT_PATH) {
    return (
      <main id="inhalt" class="kern-container">
        <h1 class="kern-heading-large">{de.signedOut.title}</h1>
        <p class="kern-body">{de.signedOut.text}</p>
        <button class="kern-btn kern-btn--primary" onClick={() => void signIn('/')}>
          <span class="kern-label">{de.signedOut.again}</span>
        </button>
      </main>
    );
  }
  if (!session) {
    return (
      <main id="inhalt" class="kern-container">
        <p role="status" class="kern-body">
          {de.signingIn}
        </p>
      </main>
    );
  }
  /**
   * Another page in the same tab: the focus goes to its main content, as after the skip
   * link (a page load would have put it at the top), and the navigation's count is asked
   * again, as a page load did.
   */
  const arrived = () => {
    main.current?.focus({ preventScroll: true });
    void waitingTasks(true);
    if (staff) void waitingFirmTasks(true);
  };
  const staff = session.roles.includes('staff');
  const manager = session.roles.includes('manager');
  return (
    <>
      <a class="kern-link skip-link" href="#inhalt">
        {de.skipLink}
      </a>
      <header class="kern-container lotse-header">
        <p class="kern-heading-medium">{de.appName}</p>
        <p class="kern-body">
          {de.signedInAs(session.name)}
          {/* An office holder's name is the office; staff and managers are named with their agency. */}
          {session.roles.length > 0 && (
            <>
              {' ('}
              <AgencyName id={session.agency} />)
            </>
          )}
        </p>
        <button class="kern-btn kern-btn--secondary" onClick={() => void signOut()}>
          <span class="kern-label">{de.signOut}</span>
        </button>
      </header>
      <nav class="kern-container" aria-label={de.nav.label}>
        <ul class="kern-list kern-list--horizontal">
          <TasksLink staff={staff} />
          {(staff || manager) && <NavLink href="/anfragen" label={de.nav.enquiries} />}
          {session.offices.length > 0 && <NavLink href="/abstimmungen" label={de.nav.votes} />}
          {staff && <NavLink href="/leads" label={de.nav.leads} />}
          <NavLink href="/flaechen" label={de.nav.sites} />
          {(staff || manager) && <NavLink href="/unternehmen" label={de.nav.firms} />}
          {(staff || manager) && <NavLink href="/kennzahlen" label={de.nav.figures} />}
        </ul>
      </nav>
      <main id="inhalt" class="kern-container" tabIndex={-1} ref={main}>
        {/* The screens name agencies and offices: they wait for the names (a moment after sign-in). */}
        {/* Every page has its own URL; links are links, and the browser's back button works. */}
        {!named ? (
          <p role="status" class="kern-body">
            {de.loading}
          </p>
        ) : (
          <Router onRouteChange={arrived}>
            <Route path="/" component={Tasks} />
            <Route path="/anfragen" component={Enquiries} />
            <Route path="/anfragen/:id" component={EnquiryPage} />
            <Route path="/leads" component={Leads} />
            <Route path="/abstimmungen" component={Votes} session={session} />
            <Route path="/flaechen" component={Sites} session={session} />
            <Route path="/flaechen/:id" component={SiteById} session={session} />
            <Route path="/neue-flaeche" component={NewSite} session={session} />
            <Route path="/unternehmen" component={Firms} session={session} />
            <Route path="/unternehmen/:id" component={FirmById} session={session} />
            <Route path="/unternehmen/:id/besuch" component={VisitReportById} session={session} />
            <Route path="/neues-unternehmen" component={NewFirm} session={session} />
            <Route path="/kennzahlen" component={Figures} session={session} />
            <Route default component={Tasks} />
          </Router>
        )}
      </main>
    </>
  );
}

/** Whether the names of agencies and offices are there (or failed: then the screens show ids). */
function useNames(signedIn: boolean): boolean {
  const [named, setNamed] = useState(false);
  useEffect(() => {
    if (signedIn) void loadNames().then(() => setNamed(true));
  }, [signedIn]);
  return named;
}

/** Aufgaben, with how many things wait on the person (the firms' too, for staff): on every page, kept current. */
function TasksLink({ staff }: { staff: boolean }) {
  const enquiries = useWaitingTasks().data?.total;
  const firms = useFirmTasks(staff).data?.items;
  const n = enquiries === undefined ? undefined : enquiries + (firms ? realFirmTasks(firms).length : 0);
  return <NavLink href="/" label={n === undefined ? de.nav.tasks : de.nav.tasksWaiting(n)} />;
}

/** Another enquiry or site is another page: nothing loaded or typed for the last one stays. */
const EnquiryPage = ({ id }: { id: string }) => <Enquiry key={id} id={id} />;
const SiteById = ({ id, session }: { id: string; session: Session }) => <SitePage key={id} id={id} session={session} />;
const FirmById = ({ id, session }: { id: string; session: Session }) => <FirmPage key={id} id={id} session={session} />;
const VisitReportById = ({ id, session }: { id: string; session: Session }) => (
  <VisitReport key={id} id={id} session={session} />
);

render(
  <LocationProvider>
    <App />
  </LocationProvider>,
  document.getElementById('app')!,
);
