// Who is logged in. The session lives in an httpOnly cookie; the CSRF token comes from login or /auth/me.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { endpoints, setCsrfToken, setUnauthorizedHandler, type User } from './api';

interface Session {
  user: User | null;
  /** true until /auth/me has answered once. */
  checking: boolean;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    let live = true;
    endpoints
      .me()
      .then((me) => {
        if (!live) return;
        setCsrfToken(me.csrfToken);
        setUser(me.user);
      })
      .catch(() => live && setUser(null))
      .finally(() => live && setChecking(false));
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    return () => {
      live = false;
      setUnauthorizedHandler(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await endpoints.login(username, password);
    setCsrfToken(answer.csrfToken);
    setUser(answer.user);
    return answer.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, checking, login, logout }), [user, checking, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

export const isStaff = (user: User | null) =>
  !!user && ['CASEWORKER', 'FINANCE', 'MANAGER', 'ADMIN'].includes(user.role);

/** The page a role lands on after login. */
export function homeFor(user: User): string {
  switch (user.role) {
    case 'MANAGER':
      return '/dashboard';
    case 'FINANCE':
      return '/inbox';
    case 'INSTITUTION':
      return '/portal';
    case 'ASSESSOR':
      return '/assessor';
    case 'ADMIN':
      return '/admin';
    default:
      return '/inbox';
  }
}
