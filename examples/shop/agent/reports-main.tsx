// Entry of /reports: supervisors only. A stored agent token with a lower role gets the sign-in again.
import { h } from 'preact';
import { mountApp } from './mount.ts';
import { useState } from 'preact/hooks';
import { loadAuth, signOut, type Auth } from './api.ts';
import { Reports } from './Reports.tsx';
import { SignIn } from './SignIn.tsx';
import { T } from './i18n.ts';

const mayReadReports = (a: Auth | null): boolean => a !== null && (a.role === 'supervisor' || a.role === 'admin');

function App() {
  const stored = loadAuth();
  const [auth, setAuth] = useState<Auth | null>(() => (mayReadReports(stored) ? stored : null));
  if (!auth || !mayReadReports(auth))
    return (
      <SignIn
        title={T.reports}
        roles={['supervisor']}
        onSignedIn={setAuth}
        {...(stored && !mayReadReports(stored) ? { note: T.reportsForSupervisors(stored.name, T.roleName(stored.role)) } : {})}
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
