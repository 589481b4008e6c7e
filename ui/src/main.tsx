import '@kern-ux/native/dist/fonts/fira-sans.css';
import '@kern-ux/native/dist/kern.min.css';
import './app.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
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
import { NewSite, SitePage, Sites } from './screens/sites.js';
import { Leads } from './screens/leads.js';
import { Tasks } from './screens/tasks.js';
import { Votes } from './screens/votes.js';
import { useWaitingTasks } from './api.js';
import { NavLink } from './parts.js';
import { de } from './texts.js';

/** The frame every screen shares: skip link, header with who is signed in, navigation, main. */
function App() {
  const [session, setSession] = useState<Session | null>(currentSession());
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (location.pathname === CALLBACK_PATH) {
      completeSignIn()
        .then((to) => {
          history.replaceState(null, '', to);
          setSession(currentSession());
        })
        .catch((err: Error) => setFailure(err.message));
    } else if (!session && location.pathname !== SIGNED_OUT_PATH) {
      // A tab whose token ran out renews it; without a session, off to the provider's sign-in page.
      void activeSession().then((s) => (s ? setSession(s) : signIn()));
    }
  }, []);

  if (failure) {
    return (
      <main id="inhalt" class="kern-container">
        <div class="kern-alert kern-alert--danger" role="alert">
          <p class="kern-body">{de.error(failure)}</p>
        </div>
        <button class="kern-btn kern-btn--primary" onClick={() => void signIn('/')}>
          <span class="kern-label">{de.signIn}</span>
        </button>
      </main>
    );
  }
  if (!session && location.pathname === SIGNED_OUT_PATH) {
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
  const staff = session.roles.includes('staff');
  const manager = session.roles.includes('manager');
  return (
    <>
      <a class="kern-link skip-link" href="#inhalt">
        {de.skipLink}
      </a>
      <header class="kern-container lotse-header">
        <p class="kern-heading-medium">{de.appName}</p>
        <p class="kern-body">{de.signedInAs(session.name)}</p>
        <button class="kern-btn kern-btn--secondary" onClick={() => void signOut()}>
          <span class="kern-label">{de.signOut}</span>
        </button>
      </header>
      <nav class="kern-container" aria-label={de.nav.label}>
        <ul class="kern-list kern-list--horizontal">
          <TasksLink />
          {(staff || manager) && <NavLink href="/anfragen" label={de.nav.enquiries} />}
          {session.offices.length > 0 && <NavLink href="/abstimmungen" label={de.nav.votes} />}
          {staff && <NavLink href="/leads" label={de.nav.leads} />}
          <NavLink href="/flaechen" label={de.nav.sites} />
          {manager && <NavLink href="/kennzahlen" label={de.nav.figures} />}
        </ul>
      </nav>
      <main id="inhalt" class="kern-container" tabIndex={-1}>
        {screenFor(location.pathname, session)}
      </main>
    </>
  );
}

/** Aufgaben, with how many decisions wait on the person: on every page, kept current. */
function TasksLink() {
  const n = useWaitingTasks()?.data?.length;
  return <NavLink href="/" label={n === undefined ? de.nav.tasks : de.nav.tasksWaiting(n)} />;
}

/** Every page has its own URL; the browser's back button works. */
function screenFor(path: string, session: Session) {
  const enquiry = /^\/anfragen\/([a-z0-9-]+)$/.exec(path);
  if (enquiry) return <Enquiry id={enquiry[1]!} />;
  if (path === '/leads') return <Leads />;
  if (path === '/anfragen') return <Enquiries />;
  if (path === '/kennzahlen') return <Figures />;
  if (path === '/flaechen') return <Sites session={session} />;
  if (path === '/neue-flaeche') return <NewSite />;
  const site = /^\/flaechen\/([a-z0-9-]+)$/.exec(path);
  if (site) return <SitePage id={site[1]!} session={session} />;
  if (path === '/abstimmungen') return <Votes session={session} />;
  return <Tasks />;
}

render(<App />, document.getElementById('app')!);
