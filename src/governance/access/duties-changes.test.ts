import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { type SodFixture, startSodFixture } from '../../../test/support/sod-fixture.ts';

// Issue 12, invariant 1 and 5: separation of duties at every step, relation and role changes
// refused or invalidating, decisions withdrawn or voided and replaced. Through the HTTP API.
describe.each(ENGINES)('separation of duties when relations and roles change, on %s', (engine) => {
  let f: SodFixture;
  beforeAll(async () => {
    f = await startSodFixture(engine);
  }, 60_000);
  afterAll(async () => f?.t.close());

  const relations = (key: string, developers: string[]) =>
    f.t.call(
      'PUT',
      `/api/v1/models/${key}/relations`,
      { owner: 'olivia', developers, validators: [] },
      f.tok.gina,
    );
  const gate = async (key: string, env = 'production') =>
    f.call('admin', 'GET', `/api/v1/gate?model=${key}&version=1.0.0&env=${env}`, undefined, 200);

  it('adding the assigned validator as a developer afterwards sends the review back and voids its pending decision', async () => {
    await f.model('sod-rel');
    const reviewId = await f.pendingReview('sod-rel', 'vera');
    const d = await f.call(
      'alice',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'validated' },
      201,
    );
    const res = await relations('sod-rel', ['dan', 'vera']);
    expect(res.statusCode, res.body).toBe(200);
    const review = await f.call('admin', 'GET', `/api/v1/reviews/${reviewId}`, undefined, 200);
    expect(review).toMatchObject({ state: 'submitted', validator: null });
    const decision = await f.call('admin', 'GET', `/api/v1/decisions/${d.id}`, undefined, 200);
    expect(decision.state).toBe('voided');
    expect(decision.voidReason).toMatch(/separation of duties.*vera.*developer/);
    expect(await f.auditActions(reviewId)).toContain('review.validation_invalidated');
    expect(await f.auditActions(d.id)).toContain('decision.voided');
    // The developer can neither be reassigned nor sign.
    const again = await f.t.call(
      'POST',
      `/api/v1/reviews/${reviewId}/validator`,
      { validator: 'vera' },
      f.tok.gina,
    );
    expect(again.statusCode).toBe(403);
    expect(again.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
    });
    expect((await gate('sod-rel')).allowed).toBe(false);
  });

  it('a relation change that would taint a final approval is refused (409 naming the step); voiding it first lets it through', async () => {
    await f.model('sod-final');
    const reviewId = await f.pendingReview('sod-final', 'vera');
    const d = await f.call(
      'alice',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'validated' },
      201,
    );
    await f.call('alice', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 200);
    expect((await gate('sod-final')).allowed).toBe(true);
    const signer = await relations('sod-final', ['dan', 'alice']);
    expect(signer.statusCode).toBe(409);
    expect(signer.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
      person: 'alice',
      step: 'sign_decision',
      decisionId: d.id,
    });
    const validator = await relations('sod-final', ['dan', 'vera']);
    expect(validator.statusCode).toBe(409);
    expect(validator.json().error.details).toMatchObject({ person: 'vera', step: 'validate' });
    const model = await f.call('admin', 'GET', '/api/v1/models/sod-final', undefined, 200);
    expect(model.developers).toEqual(['dan']);
    expect((await gate('sod-final')).allowed).toBe(true);
    // Governance voids the approval (with a reason); the gate denies; the change then goes through.
    await f.call(
      'gina',
      'POST',
      `/api/v1/decisions/${d.id}/void`,
      { reason: 'alice joins the development team' },
      200,
    );
    const denied = await gate('sod-final');
    expect(denied.allowed).toBe(false);
    expect(denied.reasons.map((r: { code: string }) => r.code)).toContain('not_approved');
    expect((await relations('sod-final', ['dan', 'alice'])).statusCode).toBe(200);
    expect((await f.call('admin', 'GET', `/api/v1/reviews/${reviewId}`, undefined, 200)).state).toBe(
      'decision_pending',
    );
  });

  it('the gate denies an approval whose signer is not independent now, even for a relation written behind the API', async () => {
    await f.model('sod-gate');
    const reviewId = await f.pendingReview('sod-gate', 'vera');
    const d = await f.call(
      'alice',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'validated' },
      201,
    );
    await f.call('amy', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 200);
    expect((await gate('sod-gate')).allowed).toBe(true);
    const model = await f.call('admin', 'GET', '/api/v1/models/sod-gate', undefined, 200);
    await f.t.store.db.kysely
      .insertInto('model_relations')
      .values({ model_id: model.id, user_id: f.ids.amy!, relation: 'developer' })
      .execute();
    const denied = await gate('sod-gate');
    expect(denied.allowed).toBe(false);
    expect(denied.reasons).toContainEqual(expect.objectContaining({ code: 'not_independent', ref: d.id }));
  });

  it("changing a validator's role to approver invalidates their validation, and they never sign their own review", async () => {
    await f.model('sod-role');
    const reviewId = await f.pendingReview('sod-role', 'vic');
    const patched = await f.t.call('PATCH', `/api/v1/users/${f.ids.vic}`, { role: 'approver' }, f.tok.admin);
    expect(patched.statusCode, patched.body).toBe(200);
    const review = await f.call('admin', 'GET', `/api/v1/reviews/${reviewId}`, undefined, 200);
    expect(review).toMatchObject({ state: 'submitted', validator: null });
    expect(await f.auditActions(reviewId)).toContain('review.validation_invalidated');
    // Validation is redone by someone else; vic (now an approver) cannot sign the review they validated.
    await f.call('gina', 'POST', `/api/v1/reviews/${reviewId}/validator`, { validator: 'vera' }, 200);
    await f.call(
      'vera',
      'POST',
      `/api/v1/reviews/${reviewId}/transition`,
      { event: 'start_validation' },
      200,
    );
    await f.call(
      'vera',
      'POST',
      `/api/v1/reviews/${reviewId}/transition`,
      { event: 'request_decision' },
      200,
    );
    const d = await f.call(
      'alice',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'validated' },
      201,
    );
    const own = await f.t.call('POST', `/api/v1/decisions/${d.id}/sign`, {}, f.tok.vic);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'validator',
      person: 'vic',
    });
    // Nor the submitter, nor the model's makers.
    expect((await f.t.call('POST', `/api/v1/decisions/${d.id}/sign`, {}, f.tok.olivia)).statusCode).toBe(403);
    expect((await f.call('amy', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 200)).state).toBe('final');
  });

  it('a decision whose binding changed can be withdrawn and replaced; a final one voided and replaced', async () => {
    await f.model('sod-bind', { untiered: true });
    const reviewId = await f.pendingReview('sod-bind', 'vera', 'validation');
    const d1 = await f.call(
      'gina',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'validated' },
      201,
    );
    await f.call('alice', 'POST', `/api/v1/decisions/${d1.id}/sign`, {}, 200);
    await f.call(
      'dan',
      'POST',
      '/api/v1/models/sod-bind/versions/1.0.0/evidence',
      {
        type: 'other',
        title: 'late addition',
        externalUrl: 'https://docs.example.com/late',
      },
      201,
    );
    const stuck = await f.t.call('POST', `/api/v1/decisions/${d1.id}/sign`, {}, f.tok.amy);
    expect(stuck.json().error.details.rule).toBe('binding_changed');
    // Withdrawing needs a reason of 20+ characters, and governance or the proposer.
    expect(
      (await f.t.call('POST', `/api/v1/decisions/${d1.id}/withdraw`, { reason: 'short' }, f.tok.gina))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await f.t.call(
          'POST',
          `/api/v1/decisions/${d1.id}/withdraw`,
          { reason: 'the evidence set changed after signing' },
          f.tok.amy,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await f.t.call(
          'POST',
          `/api/v1/decisions/${d1.id}/void`,
          { reason: 'the evidence set changed after signing' },
          f.tok.gina,
        )
      ).statusCode,
    ).toBe(409);
    const withdrawn = await f.call(
      'gina',
      'POST',
      `/api/v1/decisions/${d1.id}/withdraw`,
      { reason: 'the evidence set changed after signing' },
      200,
    );
    expect(withdrawn).toMatchObject({ state: 'withdrawn', voidedBy: 'gina' });
    expect(await f.auditActions(d1.id)).toContain('decision.withdrawn');
    // A new decision on the same review, signed by the tier's people.
    const d2 = await f.call(
      'gina',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'again' },
      201,
    );
    for (const who of ['alice', 'amy', 'gabe'])
      await f.call(who, 'POST', `/api/v1/decisions/${d2.id}/sign`, {}, 200);
    expect((await f.call('admin', 'GET', `/api/v1/decisions/${d2.id}`)).state).toBe('final');
    expect((await gate('sod-bind', 'staging')).allowed).toBe(true);
    // Voided: no longer counts for the gate; the review takes a new decision.
    await f.call(
      'gabe',
      'POST',
      `/api/v1/decisions/${d2.id}/void`,
      { reason: 'approved against the wrong card' },
      200,
    );
    expect(await f.auditActions(d2.id)).toContain('decision.voided');
    expect((await gate('sod-bind', 'staging')).allowed).toBe(false);
    expect((await f.call('admin', 'GET', `/api/v1/reviews/${reviewId}`)).state).toBe('decision_pending');
    const d3 = await f.call(
      'gina',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'third' },
      201,
    );
    await f.call('alice', 'POST', `/api/v1/decisions/${d3.id}/sign`, {}, 200);
    // A signer whose role changes no longer carries the signature: the pending decision is voided.
    await f.call('admin', 'PATCH', `/api/v1/users/${f.ids.alice}`, { role: 'governance' }, 200);
    const voided = await f.call('admin', 'GET', `/api/v1/decisions/${d3.id}`);
    expect(voided.state).toBe('voided');
    expect(voided.voidReason).toMatch(/role change/);
    expect((await f.call('admin', 'GET', `/api/v1/reviews/${reviewId}`)).state).toBe('decision_pending');
    // The proposer withdraws their own pending decision.
    const d4 = await f.call(
      'amy',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'hold', rationale: 'fourth' },
      201,
    );
    await f.call(
      'amy',
      'POST',
      `/api/v1/decisions/${d4.id}/withdraw`,
      { reason: 'proposed by mistake, sorry' },
      200,
    );
  });
});
