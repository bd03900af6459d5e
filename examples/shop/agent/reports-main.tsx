// Entry of /reports: supervisors only. A stored agent token with a lower role gets the sign-in again.
import { h } from 'preact';
import { mountApp } from './mount.ts';
import { useState } from 'preact/hooks';
import { loadAuth, signOut, type Auth } from './api.ts';
import { Reports } from './Reports.tsx';
import { SignIn } from './SignIn.tsx';

const mayReadReports = (a: Auth | null): boolean => a !== null && (a.role === 'supervisor' || a.role === 'admin');

function App() {
  const stored = loadAuth();
  const [auth, setAuth] = useState<Auth | null>(() => (mayReadReports(stored) ? stored : null));
  if (!auth || !mayReadReports(auth))
    return (
      <SignIn
        title="Reports"
        roles={['supervisor']}
        onSignedIn={setAuth}
        {...(stored && !mayReadReports(stored) ? { note: `Reports are for supervisors; you are signed in as ${stored.name} (${stored.role}).` } : {})}
      />
    );
  return (
    <Reports
      auth={auth}
      onSignOut={() => {
        signOut();
        setAuth(null);
      }}
    />
  );
}

mountApp(<App />);
