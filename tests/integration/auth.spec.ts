import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { AuditLogEntity, RefreshTokenEntity, SessionEntity, UserEntity } from '@toonbank/database';
import { newOrganisation, newUser, TEST_PASSWORD } from '../support/factories';
import { useTestApp } from '../support/suite';
import { bearer, login } from '../support/test-app';

describe('auth: login, refresh, logout, me', () => {
  const suite = useTestApp();

  const setup = async () => {
    const organisation = await newOrganisation(suite.db);
    const agent = await newUser(suite.db, organisation, { role: 'agent' });
    return { organisation, agent };
  };

  describe('login', () => {
    it('answers tokens and the User, case-insensitively on the e-mail, and audits it', async () => {
      const { agent } = await setup();
      const response = await suite.app
        .http()
        .post('/api/auth/login')
        .send({ email: agent.email.toUpperCase(), password: TEST_PASSWORD })
        .expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        user: {
          id: agent.id,
          email: agent.email,
          name: agent.name,
          initials: agent.initials,
          role: 'agent',
          active: true,
          trainedAt: null,
          capacity: 10,
          languages: [],
          available: true,
          eligible: true,
          approvalsEarned: 0,
          approvalLifted: false,
        },
      });
      const entries = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ actorId: agent.id, action: 'auth.login' });
      expect(entries).toHaveLength(1);
    });

    it('issues access tokens that live at least 15 minutes', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      const claims = JSON.parse(
        Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString(),
      ) as {
        iat: number;
        exp: number;
      };
      expect(claims.exp - claims.iat).toBeGreaterThanOrEqual(15 * 60);
    });

    it('gives the same 401 for a wrong e-mail, a wrong password and a deactivated user', async () => {
      const { organisation, agent } = await setup();
      const inactive = await newUser(suite.db, organisation, { role: 'agent', active: false });
      const answers = await Promise.all([
        suite.app
          .http()
          .post('/api/auth/login')
          .send({ email: `nobody-${agent.email}`, password: TEST_PASSWORD }),
        suite.app
          .http()
          .post('/api/auth/login')
          .send({ email: agent.email, password: 'wrong-password' }),
        suite.app
          .http()
          .post('/api/auth/login')
          .send({ email: inactive.email, password: TEST_PASSWORD }),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          statusCode: 401,
          code: 'auth.invalid_credentials',
          message: 'The e-mail address or password is not right.',
        });
      }
    });
  });

  describe('refresh', () => {
    const refresh = (refreshToken: string) =>
      suite.app.http().post('/api/auth/refresh').send({ refreshToken });
    /** Moves a spent token's rotation into the past, as if that long had gone by. */
    const rotatedSecondsAgo = async (refreshToken: string, seconds: number) => {
      const tokenHash = createHash('sha256').update(refreshToken).digest('base64url');
      const moved = await suite.db.query(
        `UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $2)
          WHERE token_hash = $1 AND used_at IS NOT NULL RETURNING id`,
        [tokenHash, seconds],
      );
      expect(moved[0]).toHaveLength(1);
    };

    it('rotates: the new pair works and the old refresh token is spent', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const second = await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(200);
      expect(second.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      await suite.app.http().get('/api/me').set(bearer(second.body.accessToken)).expect(200);
      const third = await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: second.body.refreshToken });
      expect(third.status).toBe(200);
    });

    it('answers a second tab that presents the same token 100 ms later with the same successor pair, and the session lives', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const firstTab = await refresh(first.refreshToken).expect(200);
      await delay(100);
      const secondTab = await refresh(first.refreshToken).expect(200);
      expect(secondTab.body).toEqual(firstTab.body);
      expect(secondTab.body.refreshToken).not.toBe(first.refreshToken);

      await suite.app.http().get('/api/me').set(bearer(first.accessToken)).expect(200);
      await suite.app.http().get('/api/me').set(bearer(secondTab.body.accessToken)).expect(200);
      const next = await refresh(secondTab.body.refreshToken).expect(200);
      await suite.app.http().get('/api/me').set(bearer(next.body.accessToken)).expect(200);
      const sessions = await suite.db.getRepository(SessionEntity).findBy({ userId: agent.id });
      expect(sessions.map((s) => s.revokedAt)).toEqual([null]);
      // One successor, not a branch: the family holds the login's token, its successor and the next.
      const tokens = await suite.db
        .getRepository(RefreshTokenEntity)
        .findBy({ sessionId: sessions[0]!.id });
      expect(tokens).toHaveLength(3);
      expect(
        await suite.db.getRepository(AuditLogEntity).findBy({
          subjectId: agent.id,
          action: 'auth.refresh_reuse',
        }),
      ).toEqual([]);
    });

    it('answers a late T1 after T1 → T2 → T3 within the grace with the live T3 pair, not the spent T2', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const second = await refresh(first.refreshToken).expect(200);
      const third = await refresh(second.body.refreshToken).expect(200);

      const late = await refresh(first.refreshToken).expect(200);

      expect(late.body.refreshToken).toBe(third.body.refreshToken);
      expect(late.body).toEqual(third.body);
      // The token the late tab now holds still rotates: no theft, the session lives.
      const next = await refresh(late.body.refreshToken).expect(200);
      await suite.app.http().get('/api/me').set(bearer(next.body.accessToken)).expect(200);
      const sessions = await suite.db.getRepository(SessionEntity).findBy({ userId: agent.id });
      expect(sessions.map((s) => s.revokedAt)).toEqual([null]);
    });

    it('gives tabs that present the same token at the same instant one successor pair', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => refresh(first.refreshToken)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      await suite.app.http().get('/api/me').set(bearer(answers[0]!.body.accessToken)).expect(200);
      await refresh(answers[0]!.body.refreshToken).expect(200);
    });

    it('still treats a reuse within the grace as theft when the session was revoked meanwhile', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const rotated = await refresh(first.refreshToken).expect(200);
      await suite.app.http().post('/api/auth/logout').set(bearer(rotated.body.accessToken));
      await refresh(first.refreshToken).expect(401);
      await refresh(rotated.body.refreshToken).expect(401);
    });

    it('refuses a token reused more than 30 seconds after its rotation and revokes its whole family', async () => {
      const { agent } = await setup();
      const first = await login(suite.app, agent.email);
      const rotated = await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(200);
      await rotatedSecondsAgo(first.refreshToken, 31);

      const reuse = await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: first.refreshToken });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('auth.unauthenticated');

      // The family is gone: the newest refresh token and the session's access tokens too.
      const afterReuse = await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: rotated.body.refreshToken });
      expect(afterReuse.status).toBe(401);
      await suite.app.http().get('/api/me').set(bearer(rotated.body.accessToken)).expect(401);
      await suite.app.http().get('/api/me').set(bearer(first.accessToken)).expect(401);
      const sessions = await suite.db.getRepository(SessionEntity).findBy({ userId: agent.id });
      expect(sessions.map((s) => s.revokedReason)).toEqual(['refresh token reused']);

      // Another sign-in of the same user is another family and unaffected.
      const other = await login(suite.app, agent.email);
      await suite.app.http().get('/api/me').set(bearer(other.accessToken)).expect(200);
    });

    it('refuses an unknown refresh token and one of a deactivated user', async () => {
      const { agent } = await setup();
      await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: 'not-a-token' })
        .expect(401);
      const { refreshToken } = await login(suite.app, agent.email);
      await suite.db.getRepository(UserEntity).update({ id: agent.id }, { active: false });
      await suite.app.http().post('/api/auth/refresh').send({ refreshToken }).expect(401);
    });
  });

  describe('logout', () => {
    it('revokes the session: its access and refresh tokens stop working', async () => {
      const { agent } = await setup();
      const session = await login(suite.app, agent.email);
      const other = await login(suite.app, agent.email);
      await suite.app.http().post('/api/auth/logout').set(bearer(session.accessToken)).expect(200);
      await suite.app.http().get('/api/me').set(bearer(session.accessToken)).expect(401);
      await suite.app
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: session.refreshToken })
        .expect(401);
      await suite.app.http().get('/api/me').set(bearer(other.accessToken)).expect(200);
    });
  });

  describe('reads role and active flag afresh on every request', () => {
    it('a deactivated user is refused on the very next request', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      await suite.app.http().get('/api/me').set(bearer(accessToken)).expect(200);
      await suite.db.getRepository(UserEntity).update({ id: agent.id }, { active: false });
      const response = await suite.app.http().get('/api/me').set(bearer(accessToken)).expect(401);
      expect(response.body.code).toBe('auth.unauthenticated');
    });

    it('a new role applies to the very next request', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      await suite.app.http().get('/api/users/eligible').set(bearer(accessToken)).expect(403);
      await suite.db.getRepository(UserEntity).update({ id: agent.id }, { role: 'team_lead' });
      await suite.app.http().get('/api/users/eligible').set(bearer(accessToken)).expect(200);
      const me = await suite.app.http().get('/api/me').set(bearer(accessToken)).expect(200);
      expect(me.body.role).toBe('team_lead');
    });

    it('refuses a token signed with another secret, a malformed one and none', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      const [header, payload] = accessToken.split('.');
      const forged = `${header}.${payload}.${Buffer.from('forged-signature').toString('base64url')}`;
      for (const authorization of [`Bearer ${forged}`, 'Bearer nonsense', 'Basic abc', '']) {
        const response = await suite.app.http().get('/api/me').set('Authorization', authorization);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('auth.unauthenticated');
      }
    });
  });

  describe('me', () => {
    it('changes the password: the old one stops working, other sessions end, this one stays', async () => {
      const { agent } = await setup();
      const current = await login(suite.app, agent.email);
      const other = await login(suite.app, agent.email);
      const wrong = await suite.app
        .http()
        .put('/api/me/password')
        .set(bearer(current.accessToken))
        .send({ currentPassword: 'not-the-password', newPassword: 'a-brand-new-password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('auth.invalid_credentials');

      await suite.app
        .http()
        .put('/api/me/password')
        .set(bearer(current.accessToken))
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-password' })
        .expect(200);
      await suite.app.http().get('/api/me').set(bearer(current.accessToken)).expect(200);
      await suite.app.http().get('/api/me').set(bearer(other.accessToken)).expect(401);
      await suite.app
        .http()
        .post('/api/auth/login')
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(401);
      await login(suite.app, agent.email, 'a-brand-new-password');
    });

    it('throttles guesses at the current password like logins', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      const attempt = (currentPassword: string) =>
        suite.app
          .http()
          .put('/api/me/password')
          .set(bearer(accessToken))
          .send({ currentPassword, newPassword: 'a-brand-new-password' });
      for (let i = 0; i < 5; i += 1) expect((await attempt(`guess-${i}`)).status).toBe(401);
      const refused = await attempt(TEST_PASSWORD);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
      await login(suite.app, agent.email); // the password did not change
    });

    it('refuses a short new password with the field named', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      const response = await suite.app
        .http()
        .put('/api/me/password')
        .set(bearer(accessToken))
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'short' })
        .expect(400);
      expect(response.body.details.fields).toEqual(['newPassword']);
    });

    it('sets availability, audits it and answers the User', async () => {
      const { agent } = await setup();
      const { accessToken } = await login(suite.app, agent.email);
      const response = await suite.app
        .http()
        .put('/api/me/availability')
        .set(bearer(accessToken))
        .send({ available: false })
        .expect(200);
      expect(response.body).toMatchObject({ id: agent.id, available: false });
      const stored = await suite.db.getRepository(UserEntity).findOneByOrFail({ id: agent.id });
      expect(stored.available).toBe(false);
      const audit = await suite.db
        .getRepository(AuditLogEntity)
        .findBy({ subjectId: agent.id, action: 'user.availability_changed' });
      expect(audit.map((a) => [a.before, a.after])).toEqual([
        [{ available: true }, { available: false }],
      ]);
    });
  });
});
