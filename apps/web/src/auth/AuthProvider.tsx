import { useQueryClient } from '@tanstack/react-query';
import type { UserDto } from '@toonbank/shared';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useApi } from '../api/ApiContext';
import { SIGNED_IN_KEY } from '../api/client';
import { queryKeys } from '../api/queries';

/** `restoring`: the refresh cookie of an earlier visit is being exchanged for a session. */
export type AuthStatus = 'restoring' | 'restoreFailed' | 'signedIn' | 'signedOut';

interface AuthContextValue {
  status: AuthStatus;
  /** The session ended because the user logged out (not because it expired). */
  loggedOut: boolean;
  /** Why the last restore failed (`restoreFailed`: no answer, or a 5xx). */
  restoreError: unknown;
  /** Try the restore again after `restoreFailed`. */
  retryRestore(): void;
  login(email: string, password: string): Promise<UserDto>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * Session state for the app. The signed-in user itself lives in the query cache under
 * `['me']` (see `useMe`), so availability changes and refetches update one record.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>(() =>
    api.hasStoredSession() ? 'restoring' : 'signedOut',
  );
  const [loggedOut, setLoggedOut] = useState(false);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const retryRestore = useCallback(() => {
    setRestoreError(null);
    setStatus('restoring');
  }, []);
  const loggingOut = useRef(false);

  // Whatever ends the session (logout, a refused refresh), nothing of it stays cached.
  useEffect(
    () =>
      api.onSignedOut(() => {
        queryClient.clear();
        setLoggedOut(loggingOut.current);
        setStatus('signedOut');
      }),
    [api, queryClient],
  );

  // Signing out in another tab removes the shared signed-in marker: follow it here. (A
  // `clear()` of the storage comes as an event without a key.)
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if ((event.key === SIGNED_IN_KEY || event.key === null) && event.newValue === null) {
        if (!api.hasStoredSession()) api.signOut();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [api]);

  useEffect(() => {
    if (status !== 'restoring') return;
    let current = true;
    api.restoreSession().then(
      (user) => {
        if (!current) return;
        if (user) queryClient.setQueryData(queryKeys.me, user);
        setStatus(user ? 'signedIn' : 'signedOut');
      },
      (error: unknown) => {
        // The server did not answer (or failed): the session may be fine; say so, offer a retry.
        if (!current) return;
        setRestoreError(error);
        setStatus(api.hasStoredSession() ? 'restoreFailed' : 'signedOut');
      },
    );
    return () => {
      current = false;
    };
  }, [api, queryClient, status]);

  const login = useCallback(
    async (email: string, password: string) => {
      const user = await api.login(email, password);
      queryClient.setQueryData(queryKeys.me, user);
      setLoggedOut(false);
      setStatus('signedIn');
      return user;
    },
    [api, queryClient],
  );

  const logout = useCallback(async () => {
    loggingOut.current = true;
    try {
      await api.logout();
    } finally {
      loggingOut.current = false;
    }
  }, [api]);

  const value = useMemo(
    () => ({ status, loggedOut, restoreError, retryRestore, login, logout }),
    [status, loggedOut, restoreError, retryRestore, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === null) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
