/**
 * The election manifest as the encryptor needs it: contests for a ballot style, each
 * with its description hash and its placeholder selections, and the manifest hash.
 *
 * Input is the manifest JSON in electionguard 1.4.0's format.  The hashes follow the
 * package's `crypto_hash` methods field by field; `loadManifest` recomputes the
 * manifest hash and refuses a manifest that does not match the election context, so a
 * page cannot encrypt against a different list of candidates than the one the
 * guardians' key ceremony committed to.
 */

import { hashElems } from "./hash.js";
import { fromHex } from "./group.js";

export class InvalidManifest extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidManifest";
  }
}

const orNull = (x) => (x === undefined ? null : x);

/** InternationalizedText: H([H(value, language) for each text]). */
async function textHash(it) {
  if (it === null || it === undefined) return null;
  const parts = await Promise.all((it.text || []).map((l) => hashElems(l.value, orNull(l.language) ?? "en")));
  return hashElems(parts);
}

async function annotatedListHash(list) {
  if (!list) return null;
  return Promise.all(list.map((a) => hashElems(a.annotation, a.value)));
}

/** ContactInformation: H(name, address_line, email, phone). */
async function contactHash(c) {
  if (c === null || c === undefined) return null;
  return hashElems(orNull(c.name), orNull(c.address_line), await annotatedListHash(c.email), await annotatedListHash(c.phone));
}

/** SelectionDescription: H(object_id, sequence_order, candidate_id). */
export function selectionHash(s) {
  return hashElems(s.object_id, s.sequence_order, s.candidate_id);
}

/** ContestDescription: placeholders excluded, as in the package. */
async function contestHash(c, selectionHashes) {
  return hashElems(
    c.object_id,
    c.sequence_order,
    c.electoral_district_id,
    c.vote_variation,
    await textHash(c.ballot_title),
    await textHash(c.ballot_subtitle),
    c.name,
    c.number_elected,
    orNull(c.votes_allowed),
    selectionHashes,
  );
}

/**
 * The package's datetime text: "YYYY-MM-DDTHH:MM:SSZ", in UTC when the input carries an
 * offset, the wall-clock fields as they are when it carries none; microseconds dropped.
 */
export function isoDateText(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) throw new InvalidManifest(`unsupported date ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s = "00", zone] = m;
  if (!zone) return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone === "Z" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2")}`);
  return t.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function requireContest(c) {
  const where = `contest ${JSON.stringify(c && c.object_id)}`;
  if (!c || typeof c.object_id !== "string") throw new InvalidManifest("contest without object_id");
  if (!Array.isArray(c.ballot_selections) || c.ballot_selections.length === 0) {
    throw new InvalidManifest(`${where} has no selections`);
  }
  if (!Number.isSafeInteger(c.number_elected) || c.number_elected < 1 || c.number_elected > c.ballot_selections.length) {
    throw new InvalidManifest(`${where}: number_elected must be in [1, number of selections]`);
  }
  if (c.votes_allowed !== null && c.votes_allowed !== undefined && c.votes_allowed !== c.number_elected) {
    throw new InvalidManifest(`${where}: only n-of-m contests (votes_allowed = number_elected) are supported`);
  }
  const seen = new Set();
  for (const s of c.ballot_selections) {
    if (typeof s.object_id !== "string" || !Number.isSafeInteger(s.sequence_order) || seen.has(s.sequence_order)) {
      throw new InvalidManifest(`${where}: selections need an object_id and distinct sequence_order`);
    }
    seen.add(s.sequence_order);
  }
}

/**
 * Placeholder selections as the package generates them: number_elected of them, with
 * sequence orders after the largest real one and ids "<contest>-<n>-placeholder".
 */
function placeholdersFor(c) {
  const max = Math.max(...c.ballot_selections.map((s) => s.sequence_order));
  const out = [];
  for (let i = 0; i < c.number_elected; i++) {
    const order = max + 1 + i;
    out.push({
      object_id: `${c.object_id}-${order}-placeholder`,
      sequence_order: order,
      candidate_id: `${c.object_id}-${order}-candidate`,
    });
  }
  return out;
}

/**
 * Parse a manifest and check it against the context's manifest_hash (hex).
 * Resolves to { manifestHash, contests, ballotStyles } with hashes as BigInts.
 */
export async function loadManifest(manifest, expectedManifestHashHex) {
  if (!manifest || !Array.isArray(manifest.contests) || !Array.isArray(manifest.ballot_styles)) {
    throw new InvalidManifest("manifest needs contests and ballot_styles");
  }
  const contests = [];
  for (const c of manifest.contests) {
    requireContest(c);
    const selections = await Promise.all(
      c.ballot_selections.map(async (s) => ({ ...s, descriptionHash: await selectionHash(s), isPlaceholder: false })),
    );
    const placeholders = await Promise.all(
      placeholdersFor(c).map(async (s) => ({ ...s, descriptionHash: await selectionHash(s), isPlaceholder: true })),
    );
    const descriptionHash = await contestHash(c, selections.map((s) => s.descriptionHash));
    contests.push({
      objectId: c.object_id,
      sequenceOrder: c.sequence_order,
      electoralDistrictId: c.electoral_district_id,
      numberElected: c.number_elected,
      descriptionHash,
      selections,
      placeholders,
    });
  }
  const gpUnits = await Promise.all(
    (manifest.geopolitical_units || []).map(async (u) =>
      hashElems(u.object_id, u.name, u.type, await contactHash(u.contact_information)),
    ),
  );
  const parties = await Promise.all(
    (manifest.parties || []).map(async (p) =>
      hashElems(p.object_id, await textHash(p.name ?? { text: [] }), orNull(p.abbreviation), orNull(p.color), orNull(p.logo_uri)),
    ),
  );
  const styles = await Promise.all(
    manifest.ballot_styles.map((b) => hashElems(b.object_id, orNull(b.geopolitical_unit_ids), orNull(b.party_ids), orNull(b.image_uri))),
  );
  const manifestHash = await hashElems(
    manifest.election_scope_id,
    manifest.type,
    isoDateText(manifest.start_date),
    isoDateText(manifest.end_date),
    await textHash(manifest.name),
    await contactHash(manifest.contact_information),
    gpUnits,
    parties,
    contests.map((c) => c.descriptionHash),
    styles,
  );
  if (expectedManifestHashHex !== undefined && manifestHash !== fromHex(expectedManifestHashHex)) {
    throw new InvalidManifest("manifest does not match the election context's manifest_hash");
  }
  return { manifestHash, contests, ballotStyles: manifest.ballot_styles };
}

/** The contests a ballot style shows, in manifest order (the package's get_contests_for). */
export function contestsForStyle(loaded, styleId) {
  const style = loaded.ballotStyles.find((b) => b.object_id === styleId);
  if (!style) throw new InvalidManifest(`unknown ballot style ${JSON.stringify(styleId)}`);
  const units = style.geopolitical_unit_ids || [];
  return loaded.contests.filter((c) => units.includes(c.electoralDistrictId));
}
