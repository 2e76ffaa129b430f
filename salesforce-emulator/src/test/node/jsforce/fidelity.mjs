// jsforce, used exactly as an application uses it, against the Salesforce org emulator.
//
//   node fidelity.mjs http://127.0.0.1:8443        (or EMULATOR_URL=http://127.0.0.1:8443 node fidelity.mjs)
//
// The emulator is both the login URL and the instance URL. Each check prints one line; the first mismatch
// prints what was expected and what jsforce got, and the script exits 1. Exit 2 is a usage error.
// Optional environment: SF_USERNAME, SF_PASSWORD, SF_CLIENT_ID, SF_CLIENT_SECRET (the emulator's defaults),
// SF_API_VERSION (61.0).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import jsforce from 'jsforce';

const require = createRequire(import.meta.url);
const JSFORCE_VERSION = require('jsforce/package.json').version;

const url = (process.argv[2] || process.env.EMULATOR_URL || '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(url)) {
  console.error('usage: node fidelity.mjs <emulator URL, e.g. http://127.0.0.1:8443>  (or set EMULATOR_URL)');
  process.exit(2);
}
const USERNAME = process.env.SF_USERNAME || 'admin@lockstep.dev';
const PASSWORD = process.env.SF_PASSWORD || 'lockstep';
const CLIENT_ID = process.env.SF_CLIENT_ID || 'lockstep-emulator-client';
const CLIENT_SECRET = process.env.SF_CLIENT_SECRET || 'lockstep-emulator-secret';
const VERSION = process.env.SF_API_VERSION || '61.0';
const OAUTH2 = { loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

// A run-unique tag, so that the script can run twice against one emulator without meeting its own records.
const RUN = `F${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
const BULK_ROWS = 2500;

let passed = 0;
const started = Date.now();

process.on('unhandledRejection', (err) => {
  console.log('FAIL unhandled rejection outside a check');
  console.log(describeError(err));
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
});

async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name}${detail ? ` - ${detail}` : ''} (${Date.now() - t0} ms)`);
  } catch (err) {
    console.log(`FAIL ${name}`);
    console.log(describeError(err));
    console.log(`${passed} passed, 1 failed`);
    process.exit(1);
  }
}

function describeError(err) {
  if (!(err instanceof Error)) {
    return `  thrown: ${JSON.stringify(err)}`;
  }
  const lines = [`  ${err.name}: ${err.message}`];
  if (err.code === 'ERR_ASSERTION') {
    lines.push(`  expected: ${JSON.stringify(err.expected)}`, `  actual:   ${JSON.stringify(err.actual)?.slice(0, 2000)}`);
  }
  if (err.errorCode && err.errorCode !== err.name) lines.push(`  errorCode: ${err.errorCode}`);
  if (err.data !== undefined) lines.push(`  data: ${JSON.stringify(err.data)}`);
  if (err.stack) lines.push(err.stack.split('\n').slice(1, 6).join('\n'));
  return lines.join('\n');
}

/** Runs fn, expecting it to fail the way jsforce reports a Salesforce error. */
async function expectError(fn, errorCode) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    assert.equal(err.errorCode ?? err.name, errorCode, `error code (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected ${errorCode}, got ${JSON.stringify(result)}`);
}

function collect(recordStream) {
  return new Promise((resolve, reject) => {
    const records = [];
    recordStream.on('record', (record) => records.push(record));
    recordStream.on('error', reject);
    recordStream.on('end', () => resolve(records));
  });
}

function assertSaveResult(result, what) {
  assert.equal(typeof result, 'object', `${what}: a SaveResult`);
  assert.equal(result.success, true, `${what}: success (${JSON.stringify(result)})`);
  assert.match(result.id, /^[a-zA-Z0-9]{18}$/, `${what}: an 18-character id`);
  assert.deepEqual(result.errors, [], `${what}: no errors`);
}

async function expireSessions() {
  const response = await fetch(`${url}/__emulator/sessions/expire`, { method: 'POST' });
  assert.ok(response.ok, `POST /__emulator/sessions/expire answered ${response.status}`);
}

async function advanceClock(millis) {
  const response = await fetch(`${url}/__emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMillis: millis }),
  });
  assert.ok(response.ok, `POST /__emulator/clock answered ${response.status}`);
}

console.log(`jsforce ${JSFORCE_VERSION} on Node ${process.version} against ${url} (API v${VERSION}, run ${RUN})`);

// ---------------------------------------------------------------------------------------------------------------
// Logging in

const conn = new jsforce.Connection({ oauth2: OAUTH2, version: VERSION });
let userInfo;
let displayName;

await check('login: conn.login(username, password) through the OAuth 2.0 password flow', async () => {
  userInfo = await conn.login(USERNAME, PASSWORD);
  assert.match(userInfo.id, /^005[a-zA-Z0-9]{15}$/, 'user id');
  assert.match(userInfo.organizationId, /^00D[a-zA-Z0-9]{15}$/, 'org id');
  assert.equal(userInfo.url, `${url}/id/${userInfo.organizationId}/${userInfo.id}`, 'identity URL');
  assert.equal(conn.instanceUrl, url, 'instance URL from the token response');
  assert.match(conn.accessToken, /^00D[a-zA-Z0-9]{12,15}!.+/, 'access token');
  return `user ${userInfo.id}, org ${userInfo.organizationId}`;
});

await check('login: a wrong password is invalid_grant', async () => {
  const other = new jsforce.Connection({ oauth2: OAUTH2, version: VERSION });
  const err = await expectError(() => other.login(USERNAME, 'wrong'), 'invalid_grant');
  return `"${err.message}"`;
});

await check('identity: conn.identity()', async () => {
  const identity = await conn.identity();
  assert.equal(identity.username, USERNAME, 'username');
  assert.equal(identity.user_id, userInfo.id, 'user_id');
  assert.equal(identity.organization_id, userInfo.organizationId, 'organization_id');
  assert.equal(identity.id, userInfo.url, 'id');
  displayName = identity.display_name;
  return `${identity.display_name} <${identity.email}>`;
});

let tokenConn;
await check('token: new Connection({ instanceUrl, accessToken }) queries and finds its identity', async () => {
  tokenConn = new jsforce.Connection({ instanceUrl: url, accessToken: conn.accessToken, version: VERSION });
  const result = await tokenConn.query(`SELECT Id, Username FROM User WHERE Username = '${USERNAME}'`);
  assert.equal(result.totalSize, 1, 'totalSize');
  assert.equal(result.records[0].Id, userInfo.id, 'the user');
  // Without a login, identity() finds the identity URL in the version resource (GET /services/data/vXX.X).
  const identity = await tokenConn.identity();
  assert.equal(identity.user_id, userInfo.id, 'identity of the token user');
  return `user ${identity.username}`;
});

await check('token: conn.authorize({ grant_type: "client_credentials" })', async () => {
  const cc = new jsforce.Connection({ oauth2: OAUTH2, version: VERSION });
  const info = await cc.authorize({ grant_type: 'client_credentials' });
  assert.match(info.id, /^005/, 'user id');
  assert.notEqual(info.id, userInfo.id, 'the "Run As" integration user, not the admin');
  const identity = await cc.identity();
  return `runs as ${identity.username}`;
});

// ---------------------------------------------------------------------------------------------------------------
// Describe

await check('describeGlobal()', async () => {
  const global = await conn.describeGlobal();
  const names = global.sobjects.map((s) => s.name);
  for (const name of ['Account', 'Contact', 'Opportunity', 'User', 'Sync_Sample__c']) {
    assert.ok(names.includes(name), `${name} listed`);
  }
  const account = global.sobjects.find((s) => s.name === 'Account');
  assert.equal(account.keyPrefix, '001', 'Account keyPrefix');
  assert.equal(account.queryable, true, 'Account queryable');
  assert.ok(account.urls && account.urls.describe, 'Account urls.describe');
  assert.ok(global.maxBatchSize > 0, 'maxBatchSize');
  return `${names.length} objects`;
});

await check("sobject('Account').describe()", async () => {
  const describe = await conn.sobject('Account').describe();
  assert.equal(describe.name, 'Account');
  const fields = new Map(describe.fields.map((f) => [f.name, f]));
  for (const name of ['Id', 'Name', 'OwnerId', 'ParentId', 'External_Id__c', 'IsDeleted', 'SystemModstamp']) {
    assert.ok(fields.has(name), `field ${name}`);
  }
  assert.equal(fields.get('External_Id__c').externalId, true, 'External_Id__c is an External ID');
  assert.equal(fields.get('Id').type, 'id', 'Id type');
  assert.deepEqual(fields.get('OwnerId').referenceTo, ['User'], 'OwnerId references User');
  const contacts = describe.childRelationships.find((r) => r.relationshipName === 'Contacts');
  assert.ok(contacts && contacts.childSObject === 'Contact' && contacts.field === 'AccountId', 'Contacts relationship');
  // describe$ is jsforce's cached describe.
  const cached = await conn.sobject('Account').describe$();
  assert.equal(cached.name, 'Account');
  return `${describe.fields.length} fields, ${describe.childRelationships.length} child relationships`;
});

// ---------------------------------------------------------------------------------------------------------------
// Single-record CRUD (REST sObject resources)

let accountId;
await check('create/retrieve/update single Account', async () => {
  const created = await conn.sobject('Account').create({ Name: `${RUN} Single`, Industry: 'Energy' });
  assertSaveResult(created, 'create');
  accountId = created.id;
  assert.match(accountId, /^001/, 'Account key prefix');

  const record = await conn.sobject('Account').retrieve(accountId);
  assert.equal(record.Id, accountId, 'Id');
  assert.equal(record.Name, `${RUN} Single`, 'Name');
  assert.equal(record.Industry, 'Energy', 'Industry');
  assert.equal(record.attributes.type, 'Account', 'attributes.type');
  assert.equal(record.OwnerId, userInfo.id, 'owned by the logged-in user');

  const some = await conn.sobject('Account').retrieve(accountId, { fields: ['Name'] });
  assert.equal(some.Name, `${RUN} Single`, 'Name with fields=');
  assert.equal(some.Industry, undefined, 'fields= leaves other fields out');

  const updated = await conn.sobject('Account').update({ Id: accountId, Industry: 'Banking' });
  assertSaveResult(updated, 'update');
  assert.equal(updated.id, accountId, 'update id');
  const after = await conn.sobject('Account').retrieve(accountId, { fields: ['Industry'] });
  assert.equal(after.Industry, 'Banking', 'updated Industry');
  return accountId;
});

await check('upsert single Account by External_Id__c (insert, then update)', async () => {
  const extId = `${RUN}-U1`;
  const inserted = await conn.sobject('Account').upsert({ Name: `${RUN} Upsert`, External_Id__c: extId }, 'External_Id__c');
  assertSaveResult(inserted, 'upsert insert');
  assert.equal(inserted.created, true, 'created on insert');

  const updated = await conn.sobject('Account').upsert({ Name: `${RUN} Upsert 2`, External_Id__c: extId }, 'External_Id__c');
  assert.equal(updated.success, true, `upsert update success (${JSON.stringify(updated)})`);
  assert.notEqual(updated.created, true, 'not created on update');
  if (updated.id !== undefined) assert.equal(updated.id, inserted.id, 'the same record');

  const found = await conn.sobject('Account').findOne({ External_Id__c: extId }, ['Id', 'Name']);
  assert.equal(found.Id, inserted.id, 'found by External ID');
  assert.equal(found.Name, `${RUN} Upsert 2`, 'updated Name');
  return inserted.id;
});

await check('errors: jsforce reports Salesforce error codes', async () => {
  await expectError(() => conn.sobject('Account').create({ Name: 'x', No_Such_Field__c: 1 }), 'INVALID_FIELD');
  await expectError(() => conn.sobject('Account').create({ Industry: 'Energy' }), 'REQUIRED_FIELD_MISSING');
  await expectError(() => conn.sobject('Account').retrieve('001000000000000AAA'), 'NOT_FOUND');
  await expectError(() => conn.query('SELECT Nope FROM Account'), 'INVALID_FIELD');
  await expectError(() => conn.query('SELECT Id FROM Nothing__c'), 'INVALID_TYPE');
  await expectError(() => conn.query('SELEC Id FROM Account'), 'MALFORMED_QUERY');
  return 'INVALID_FIELD, REQUIRED_FIELD_MISSING, NOT_FOUND, INVALID_TYPE, MALFORMED_QUERY';
});

// ---------------------------------------------------------------------------------------------------------------
// Arrays: sObject Collections

let contactIds;
await check('create/retrieve/update/upsert/destroy arrays of Contacts (sObject Collections)', async () => {
  const created = await conn.sobject('Contact').create([
    { LastName: `${RUN} One`, AccountId: accountId, External_Id__c: `${RUN}-C1` },
    { LastName: `${RUN} Two`, AccountId: accountId, External_Id__c: `${RUN}-C2` },
    { LastName: `${RUN} Three`, AccountId: accountId },
  ]);
  assert.equal(created.length, 3, 'three results');
  created.forEach((r, i) => assertSaveResult(r, `create[${i}]`));
  contactIds = created.map((r) => r.id);

  // retrieve([...]) posts the ids and every field of the describe to /composite/sobjects/Contact.
  const records = await conn.sobject('Contact').retrieve(contactIds);
  assert.deepEqual(records.map((r) => r.Id), contactIds, 'retrieved in order');
  assert.deepEqual(records.map((r) => r.LastName), [`${RUN} One`, `${RUN} Two`, `${RUN} Three`], 'LastName');
  assert.equal(records[0].AccountId, accountId, 'AccountId');
  const subset = await conn.sobject('Contact').retrieve(contactIds.slice(0, 2), { fields: ['LastName'] });
  assert.deepEqual(subset.map((r) => r.LastName), [`${RUN} One`, `${RUN} Two`], 'retrieve with fields');

  const updated = await conn.sobject('Contact').update(contactIds.map((Id) => ({ Id, Title: 'Engineer' })));
  updated.forEach((r, i) => assertSaveResult(r, `update[${i}]`));
  assert.deepEqual(updated.map((r) => r.id), contactIds, 'update ids');

  const upserted = await conn.sobject('Contact').upsert([
    { LastName: `${RUN} One`, Title: 'Lead', External_Id__c: `${RUN}-C1` },
    { LastName: `${RUN} Four`, AccountId: accountId, External_Id__c: `${RUN}-C4` },
  ], 'External_Id__c');
  assert.equal(upserted.length, 2, 'two upsert results');
  upserted.forEach((r, i) => assertSaveResult(r, `upsert[${i}]`));
  assert.equal(upserted[0].id, contactIds[0], 'upsert updated the existing contact');
  assert.equal(upserted[0].created, false, 'existing: created false');
  assert.equal(upserted[1].created, true, 'new: created true');
  contactIds.push(upserted[1].id);

  // A partial failure: allOrNone false keeps the good record and reports the bad one.
  const mixed = await conn.sobject('Contact').create([{ LastName: `${RUN} Five`, AccountId: accountId }, { Title: 'no name' }]);
  assertSaveResult(mixed[0], 'mixed[0]');
  assert.equal(mixed[1].success, false, 'mixed[1] failed');
  assert.equal(mixed[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING', 'mixed[1] statusCode');
  contactIds.push(mixed[0].id);

  // allOrNone: one bad record rolls the others back.
  const rolledBack = await conn.sobject('Contact').create([{ LastName: `${RUN} Rolled back` }, { Title: 'no name' }],
    { allOrNone: true });
  assert.equal(rolledBack[0].success, false, 'allOrNone: the good record is not saved');
  assert.equal(rolledBack[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'allOrNone: rolled back');
  assert.equal(rolledBack[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING', 'allOrNone: the bad record');
  assert.equal(await conn.sobject('Contact').count({ LastName: `${RUN} Rolled back` }), 0, 'allOrNone: nothing saved');

  // retrieve([...]) answers null for an Id that matches nothing.
  const withMissing = await conn.sobject('Contact').retrieve([contactIds[0], '003000000000000AAA'], { fields: ['LastName'] });
  assert.equal(withMissing[0].LastName, `${RUN} One`, 'retrieve: the existing contact');
  assert.equal(withMissing[1], null, 'retrieve: null for a missing Id');

  const destroyed = await conn.sobject('Contact').destroy(contactIds.slice(3));
  destroyed.forEach((r, i) => assertSaveResult(r, `destroy[${i}]`));
  assert.deepEqual(destroyed.map((r) => r.id), contactIds.slice(3), 'destroy ids');
  contactIds = contactIds.slice(0, 3);
  return `${contactIds.length} contacts kept`;
});

await check("every field type: create Sync_Sample__c, select '*', download a blob", async () => {
  const created = await conn.sobject('Sync_Sample__c').create({
    Name: `${RUN} Sample`, Text__c: 'text', Status__c: 'New', Colors__c: 'Red;Blue', Flag__c: true, Quantity__c: 3,
    Ratio__c: 0.25, Amount__c: 12.5, Discount__c: 10, Due_Date__c: '2024-02-29', Due_At__c: '2024-02-29T10:00:00.000Z',
    Alarm_Time__c: '10:30:00.000Z', Email__c: 'a@example.com', Account__c: accountId,
    Attachment__c: Buffer.from(`blob of ${RUN}`).toString('base64'),
    Address__Street__s: '1 Main St', Address__City__s: 'Paris', Location__Latitude__s: 48.85, Location__Longitude__s: 2.35,
    External_Id__c: `${RUN}-S1`,
  });
  assertSaveResult(created, 'create');
  // '*' makes jsforce select every field of the describe, compound ones included.
  const [sample] = await conn.sobject('Sync_Sample__c').find({ Id: created.id }, '*').execute();
  assert.equal(sample.Flag__c, true, 'checkbox');
  assert.equal(sample.Quantity__c, 3, 'number');
  assert.equal(sample.Amount__c, 12.5, 'currency');
  assert.equal(sample.Total__c, 37.5, 'formula Amount__c * Quantity__c');
  assert.equal(sample.Due_Date__c, '2024-02-29', 'date');
  assert.equal(sample.Due_At__c, '2024-02-29T10:00:00.000+0000', 'date-time');
  assert.equal(sample.Alarm_Time__c, '10:30:00.000Z', 'time');
  assert.equal(sample.Colors__c, 'Red;Blue', 'multi-select picklist');
  assert.equal(sample.Address__c.city, 'Paris', 'address compound');
  assert.deepEqual(sample.Location__c, { latitude: 48.85, longitude: 2.35 }, 'geolocation compound');
  assert.equal(sample.Attachment__c, `/services/data/v${VERSION}/sobjects/Sync_Sample__c/${created.id}/Attachment__c`,
    'base64: the URL of the blob');
  const blob = await new Promise((resolve, reject) => {
    const chunks = [];
    conn.sobject('Sync_Sample__c').record(created.id).blob('Attachment__c')
      .on('data', (chunk) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString()))
      .on('error', reject);
  });
  assert.equal(blob, `blob of ${RUN}`, 'blob body');
  // Date literals as jsforce writes them.
  const recent = await conn.sobject('Sync_Sample__c').find({
    Id: created.id,
    CreatedDate: { $gte: jsforce.Date.toDateTimeLiteral(new Date(Date.now() - 3_600_000)) },
    Due_Date__c: jsforce.Date.toDateLiteral(new Date(Date.UTC(2024, 1, 29))),
  }, ['Id']).execute();
  assert.equal(recent.length, 1, 'date and date-time literals');
  const today = await conn.sobject('Sync_Sample__c').count({ Id: created.id, CreatedDate: jsforce.Date.TODAY });
  assert.equal(today, 1, 'CreatedDate = TODAY');
  return `${Object.keys(sample).length - 1} fields`;
});

// ---------------------------------------------------------------------------------------------------------------
// Bulk API 2.0

await check(`bulk2.loadAndWaitForResults: insert ${BULK_ROWS} Accounts and one bad row`, async () => {
  conn.bulk2.pollInterval = 250;
  conn.bulk2.pollTimeout = 120000;
  const input = [];
  for (let i = 0; i < BULK_ROWS; i++) {
    input.push({ Name: `${RUN} Bulk ${String(i).padStart(5, '0')}`, NumberOfEmployees: i, External_Id__c: `${RUN}-B${i}` });
  }
  input.push({ Name: 'x'.repeat(300) }); // Name is 255 long at most
  const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input });
  assert.equal(results.successfulResults.length, BULK_ROWS, 'successful results');
  const first = results.successfulResults[0];
  assert.match(first.sf__Id, /^001[a-zA-Z0-9]{15}$/, 'sf__Id');
  assert.equal(first.sf__Created, 'true', 'sf__Created');
  assert.equal(first.Name, `${RUN} Bulk 00000`, 'the uploaded columns come back');
  assert.equal(results.failedResults.length, 1, 'one failed result');
  assert.match(results.failedResults[0].sf__Error, /^STRING_TOO_LONG/, 'sf__Error');
  assert.equal(results.unprocessedRecords.length, 0, 'no unprocessed records');
  return `${results.successfulResults.length} created, 1 failed: ${results.failedResults[0].sf__Error}`;
});

await check('bulk2.query: export the bulk-loaded Accounts as CSV', async () => {
  const stream = await conn.bulk2.query(
    `SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name LIKE '${RUN} Bulk%' ORDER BY Name`,
    { pollInterval: 250, pollTimeout: 60000 },
  );
  const records = await collect(stream);
  assert.equal(records.length, BULK_ROWS, 'records');
  assert.equal(records[0].Name, `${RUN} Bulk 00000`, 'first Name');
  assert.equal(records[BULK_ROWS - 1].NumberOfEmployees, String(BULK_ROWS - 1), 'last NumberOfEmployees');
  assert.match(records[0].Id, /^001/, 'Id');
  return `${records.length} records`;
});

await check('bulk2.loadAndWaitForResults: upsert by External_Id__c', async () => {
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'upsert', externalIdFieldName: 'External_Id__c', pollInterval: 250,
    input: [
      { Name: `${RUN} Bulk 00000`, Description: 'upserted', External_Id__c: `${RUN}-B0` },
      { Name: `${RUN} Bulk upserted`, External_Id__c: `${RUN}-BNEW` },
    ],
  });
  assert.equal(results.failedResults.length, 0, `no failures (${JSON.stringify(results.failedResults)})`);
  assert.deepEqual(results.successfulResults.map((r) => r.sf__Created), ['false', 'true'], 'sf__Created');
  await conn.sobject('Account').destroy(results.successfulResults[1].sf__Id);
  const [updated] = await conn.sobject('Account').find({ External_Id__c: `${RUN}-B0` }, ['Description']).execute();
  assert.equal(updated.Description, 'upserted', 'the existing record was updated');
  return '1 updated, 1 created';
});

// ---------------------------------------------------------------------------------------------------------------
// SOQL

const BULK_SOQL = `SELECT Id, Name FROM Account WHERE Name LIKE '${RUN} Bulk%'`;

await check('query: one page of 2,000, then queryMore through nextRecordsUrl', async () => {
  const first = await conn.query(BULK_SOQL);
  assert.equal(first.totalSize, BULK_ROWS, 'totalSize');
  assert.equal(first.done, false, 'done');
  assert.equal(first.records.length, 2000, 'first page');
  // jsforce rebuilds nextRecordsUrl from the locator as an absolute URL; on the wire it is a path.
  assert.match(first.nextRecordsUrl, /^http.*\/services\/data\/v\d+\.0\/query\/.+-2000$/, 'nextRecordsUrl');
  const raw = await conn.request(`/query?q=${encodeURIComponent(BULK_SOQL)}`);
  assert.match(raw.nextRecordsUrl, new RegExp(`^/services/data/v${VERSION}/query/[^/]+-2000$`), 'nextRecordsUrl on the wire');
  const second = await conn.queryMore(first.nextRecordsUrl);
  assert.equal(second.done, true, 'second page done');
  assert.equal(second.records.length, BULK_ROWS - 2000, 'second page');
  const ids = new Set([...first.records, ...second.records].map((r) => r.Id));
  assert.equal(ids.size, BULK_ROWS, 'no record twice');
  return `2000 + ${second.records.length}`;
});

await check(`query: autoFetch over ${BULK_ROWS} records and maxFetch`, async () => {
  const all = await conn.query(BULK_SOQL).run({ autoFetch: true, maxFetch: 10000 });
  assert.equal(all.records.length, BULK_ROWS, 'autoFetch: every record');
  assert.equal(all.totalSize, BULK_ROWS, 'totalSize');
  assert.equal(all.done, true, 'done');

  const capped = await conn.query(BULK_SOQL).run({ autoFetch: true, maxFetch: 2100 });
  assert.equal(capped.records.length, 2100, 'maxFetch caps the records');

  // The streaming form: 'record' events across pages.
  let streamed = 0;
  await new Promise((resolve, reject) => {
    conn.query(BULK_SOQL)
      .on('record', () => streamed++)
      .on('end', resolve)
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: 10000 });
  });
  assert.equal(streamed, BULK_ROWS, "'record' events");

  const builder = await conn.sobject('Account')
    .find({ Name: { $like: `${RUN} Bulk%` } }, ['Id', 'Name'])
    .sort({ Name: -1 })
    .limit(3)
    .execute();
  assert.deepEqual(builder.map((r) => r.Name),
    [2499, 2498, 2497].map((i) => `${RUN} Bulk ${String(i).padStart(5, '0')}`), 'query builder with sort and limit');
  const count = await conn.sobject('Account').count({ Name: { $like: `${RUN} Bulk%` } });
  assert.equal(count, BULK_ROWS, 'count()');
  return `${all.records.length} with autoFetch, 2100 with maxFetch, count() = ${count}`;
});

await check('query: relationship query with a parent path and a child subquery', async () => {
  const result = await conn.query(
    `SELECT Name, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = '${accountId}'`);
  assert.equal(result.totalSize, 1, 'totalSize');
  const account = result.records[0];
  assert.equal(account.Name, `${RUN} Single`, 'Name');
  assert.equal(account.Owner.attributes.type, 'User', 'Owner.attributes.type');
  assert.equal(account.Owner.Name, displayName, 'Owner.Name: the logged-in user');
  assert.equal(account.Contacts.totalSize, 3, 'Contacts.totalSize');
  assert.equal(account.Contacts.done, true, 'Contacts.done');
  assert.deepEqual(account.Contacts.records.map((c) => c.LastName), [`${RUN} One`, `${RUN} Three`, `${RUN} Two`],
    'Contacts.records');
  // The reverse direction, and a record without children has Contacts = null.
  const contacts = await conn.query(`SELECT LastName, Account.Name FROM Contact WHERE Id = '${contactIds[0]}'`);
  assert.equal(contacts.records[0].Account.Name, `${RUN} Single`, 'Account.Name from Contact');
  const lonely = await conn.query(`SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = '${RUN} Bulk 00000'`);
  assert.equal(lonely.records[0].Contacts, null, 'no children: null');
  return `Owner.Name = ${account.Owner.Name}, ${account.Contacts.totalSize} contacts`;
});

await check('destroy single Account; queryAll (scanAll) sees it with IsDeleted = true', async () => {
  const victim = await conn.sobject('Account').create({ Name: `${RUN} Deleted` });
  const destroyed = await conn.sobject('Account').destroy(victim.id);
  assertSaveResult(destroyed, 'destroy');
  assert.equal(destroyed.id, victim.id, 'destroy id');

  const soql = `SELECT Id, IsDeleted FROM Account WHERE Id = '${victim.id}'`;
  const live = await conn.query(soql);
  assert.equal(live.totalSize, 0, 'gone from query');
  const all = await conn.query(soql, { scanAll: true });
  assert.equal(all.totalSize, 1, 'queryAll finds it');
  assert.equal(all.records[0].IsDeleted, true, 'IsDeleted');
  const chained = await conn.query(soql).scanAll(true);
  assert.equal(chained.totalSize, 1, 'scanAll(true)');
  await expectError(() => conn.sobject('Account').retrieve(victim.id), 'ENTITY_IS_DELETED');

  // Replication API: getDeleted / getUpdated cover whole minutes up to the current one, as Salesforce's do, so
  // move the emulator's clock past this minute (admin API) instead of waiting for it.
  await advanceClock(120_000);
  const end = new Date(Date.now() + 10 * 60_000);
  const start = new Date(Date.now() - 10 * 60_000);
  const deleted = await conn.sobject('Account').deleted(start, end);
  assert.ok(deleted.deletedRecords.some((r) => r.id === victim.id), `getDeleted lists it (${JSON.stringify(deleted).slice(0, 300)})`);
  const updated = await conn.sobject('Account').updated(start, end);
  assert.ok(updated.ids.includes(accountId), 'getUpdated lists the updated Account');
  return victim.id;
});

await check('Query#update and Query#destroy through Bulk API 2.0 (bulkApiVersion: 2)', async () => {
  const find = () => conn.sobject('Account').find({ Name: { $like: `${RUN} Bulk%` } }, ['Id', 'Name']);
  const updated = await find().update((r) => ({ Id: r.Id, Description: `seen ${r.Name}` }), { bulkApiVersion: 2 });
  assert.equal(updated.length, BULK_ROWS, 'update results');
  assert.ok(updated.every((r) => r.success), 'every update succeeded');
  const [one] = await conn.sobject('Account').find({ Name: `${RUN} Bulk 00042` }, ['Description']).execute();
  assert.equal(one.Description, `seen ${RUN} Bulk 00042`, 'updated Description');

  const destroyed = await find().destroy({ bulkApiVersion: 2 });
  assert.equal(destroyed.length, BULK_ROWS, 'destroy results');
  assert.ok(destroyed.every((r) => r.success), 'every delete succeeded');
  assert.equal(await conn.sobject('Account').count({ Name: { $like: `${RUN} Bulk%` } }), 0, 'none left');
  const binned = await conn.query(`SELECT COUNT() FROM Account WHERE Name LIKE '${RUN} Bulk%'`, { scanAll: true });
  assert.equal(binned.totalSize, BULK_ROWS + 1, 'all in the recycle bin, with the one the upsert check deleted');
  return `${BULK_ROWS} updated, ${BULK_ROWS} deleted`;
});

// ---------------------------------------------------------------------------------------------------------------
// Limits

await check('limits() and the Sforce-Limit-Info header', async () => {
  const limits = await conn.limits();
  assert.ok(limits.DailyApiRequests.Max > 0, 'DailyApiRequests.Max');
  assert.ok(limits.DailyApiRequests.Remaining < limits.DailyApiRequests.Max, 'some requests counted');
  await conn.query('SELECT Id FROM User LIMIT 1');
  assert.ok(conn.limitInfo.apiUsage, `conn.limitInfo.apiUsage parsed from Sforce-Limit-Info (${JSON.stringify(conn.limitInfo)})`);
  assert.equal(conn.limitInfo.apiUsage.limit, limits.DailyApiRequests.Max, 'the same limit');
  return `DailyApiRequests ${limits.DailyApiRequests.Remaining}/${limits.DailyApiRequests.Max}, used ${conn.limitInfo.apiUsage.used}`;
});

// ---------------------------------------------------------------------------------------------------------------
// Sessions: refresh on 401

await check('session refresh: a password-flow connection logs in again after its session expires', async () => {
  const before = conn.accessToken;
  let refreshed = 0;
  conn.on('refresh', () => refreshed++);
  await expireSessions();
  const result = await conn.query(`SELECT Id FROM Account WHERE Id = '${accountId}'`);
  assert.equal(result.totalSize, 1, 'the query succeeded after the refresh');
  assert.equal(refreshed, 1, "one 'refresh' event");
  assert.notEqual(conn.accessToken, before, 'a new access token');
  return 'logged in again';
});

await check('session refresh: the refresh_token grant after a 401', async () => {
  const rconn = new jsforce.Connection({ oauth2: OAUTH2, version: VERSION });
  await rconn.authorize({ grant_type: 'password', username: USERNAME, password: PASSWORD, scope: 'api refresh_token' });
  assert.ok(rconn.refreshToken, 'a refresh token');
  const before = rconn.accessToken;
  let response;
  rconn.on('refresh', (token, res) => { response = res; });
  await expireSessions();
  const result = await rconn.query(`SELECT Id FROM Account WHERE Id = '${accountId}'`);
  assert.equal(result.totalSize, 1, 'the query succeeded after the refresh');
  assert.ok(response && response.access_token, "'refresh' event with the token response");
  assert.equal(rconn.accessToken, response.access_token, 'the refreshed token is used');
  assert.notEqual(rconn.accessToken, before, 'a new access token');

  // Bulk API 2.0 calls refresh too.
  await expireSessions();
  const stream = await rconn.bulk2.query(`SELECT Id FROM Account WHERE Id = '${accountId}'`, { pollInterval: 250 });
  assert.equal((await collect(stream)).length, 1, 'bulk2.query after the refresh');

  // logout(true) revokes the refresh token, and with it the access tokens it issued.
  const token = rconn.accessToken;
  await rconn.logout(true);
  const stale = new jsforce.Connection({ instanceUrl: url, accessToken: token, version: VERSION });
  await expectError(() => stale.query('SELECT Id FROM User LIMIT 1'), 'INVALID_SESSION_ID');
  return 'refreshed through grant_type=refresh_token, for REST and Bulk; revoked by logout(true)';
});

await check('session: a connection with only an expired access token fails with INVALID_SESSION_ID', async () => {
  await expireSessions();
  const stale = new jsforce.Connection({ instanceUrl: url, accessToken: tokenConn.accessToken, version: VERSION });
  await expectError(() => stale.query('SELECT Id FROM User LIMIT 1'), 'INVALID_SESSION_ID');
  return 'INVALID_SESSION_ID';
});

await check('logout: conn.logout() revokes the token', async () => {
  const lconn = new jsforce.Connection({ oauth2: OAUTH2, version: VERSION });
  await lconn.login(USERNAME, PASSWORD);
  const token = lconn.accessToken;
  await lconn.logout();
  assert.equal(lconn.accessToken, null, 'session cleared');
  const stale = new jsforce.Connection({ instanceUrl: url, accessToken: token, version: VERSION });
  await expectError(() => stale.query('SELECT Id FROM User LIMIT 1'), 'INVALID_SESSION_ID');
  return 'revoked';
});

console.log(`${passed} passed, 0 failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
