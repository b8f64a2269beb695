import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actingOfficer } from '../auth/acting-officer';
import type { CredentialVerifier } from '../auth/credentials';
import { ServerError } from '../errors';
import { addOfficer, listOfficers, resetOfficerPassword, updateOfficer } from '../officers/officers';
import { PasswordAttempts, changeOwnPassword } from '../officers/password-change';
import type { SyncRepository } from '../store/repository';
import { requireAdmin } from './admin-routes';
import { authenticatedStation } from './sync-routes';

export interface OfficerRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  now: () => number;
}

const officerParams = z.object({ id: z.string().max(64) });
/** Checked by the officer logic itself, so that a bad field answers OFFICER_INVALID with the CLI's words. */
const officerFields = z.record(z.string(), z.unknown());
/** Longer than any password the policy takes, so that a long one is told why (PASSWORD_WEAK), not refused unread. */
const passwordField = z.string().max(1024);

/**
 * Officer accounts. Administrators (admin credential) add officers, change them and reset
 * their passwords, the routes of the officer-* commands; a station (station credential)
 * changes the password of the officer logged in there, for that officer only. Answers
 * never carry a password hash, except the officer's own document to their station.
 */
export function registerOfficerRoutes(app: FastifyInstance, deps: OfficerRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier } = deps;
  const attempts = new PasswordAttempts();

  routes.get('/admin/officers', async (request) => {
    await requireAdmin(request, verifier);
    return { officers: await listOfficers(repository) };
  });

  /** The answer holds the officer's one-time password: the only time the server ever shows it. */
  routes.post('/admin/officers', { schema: { body: officerFields } }, async (request, reply) => {
    await requireAdmin(request, verifier);
    const added = await addOfficer(repository, request.body, deps.now());
    request.log.info({ officerId: added.officer.id }, 'officer added');
    return reply.status(201).send(added);
  });

  routes.patch('/admin/officers/:id', { schema: { params: officerParams, body: officerFields } }, async (request) => {
    await requireAdmin(request, verifier);
    const officer = await updateOfficer(repository, request.params.id, request.body, deps.now());
    request.log.info({ officerId: officer.id }, 'officer updated');
    return { officer };
  });

  routes.post('/admin/officers/:id/reset-password', { schema: { params: officerParams } }, async (request) => {
    await requireAdmin(request, verifier);
    const reset = await resetOfficerPassword(repository, request.params.id, deps.now());
    request.log.info({ officerId: reset.officer.id }, 'officer password reset');
    return reset;
  });

  routes.post(
    '/sync/officers/:id/password',
    { schema: { params: officerParams, body: z.object({ currentPassword: passwordField, newPassword: passwordField }) } },
    async (request) => {
      const stationId = await authenticatedStation(request, verifier);
      const officer = await actingOfficer(request, repository, stationId, 'officer.changePassword');
      if (officer.id !== request.params.id) {
        throw new ServerError(403, 'PASSWORD_NOT_OWN', 'An officer changes only their own password; an administrator resets the password of others.');
      }
      const { currentPassword, newPassword } = request.body;
      const document = await changeOwnPassword(repository, attempts, { officer, stationId, currentPassword, newPassword, now: deps.now() });
      request.log.info({ officerId: officer.id }, 'officer changed password');
      return document;
    },
  );
}
