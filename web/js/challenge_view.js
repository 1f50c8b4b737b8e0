/**
 * What a checked challenge says, in words: per contest of the manifest, its title and the
 * chosen selections with their names.  Shared by the verifier page (/verify) and the
 * standalone web/challenge-check.html, which translate yes/no/abstain themselves.
 *
 * Titles and selection ids are covered by the manifest hash, and so by the tracking code.
 * Candidates' names are not (ElectionGuard 1.x leaves `candidates` out of the manifest
 * hash): `evote-verify challenge --record` compares them with the record's.
 */

const ANSWERS = ["yes", "no", "abstain"];

/** The name a manifest gives a candidate, or "" when it has none. */
function candidateName(candidate) {
  return candidate?.name?.text?.[0]?.value ?? "";
}

/**
 * @param manifest  the manifest JSON the check used
 * @param choices  { contest: { selection: 0 | 1 } }
 * @returns [{ contestId, title, chosen: [{ selectionId, name, answer }] }], answer being
 *          "yes", "no", "abstain" or null
 */
export function describeChoices(manifest, choices) {
  const names = new Map((manifest.candidates || []).map((c) => [c.object_id, candidateName(c)]));
  const out = [];
  for (const contest of manifest.contests || []) {
    const votes = choices[contest.object_id];
    if (!votes) continue;
    const chosen = contest.ballot_selections
      .filter((s) => votes[s.object_id] === 1)
      .map((s) => {
        const answer = s.object_id.split("-").pop();
        return {
          selectionId: s.object_id,
          name: names.get(s.candidate_id) || s.object_id,
          answer: ANSWERS.includes(answer) ? answer : null,
        };
      });
    out.push({ contestId: contest.object_id, title: contest.name ?? contest.object_id, chosen });
  }
  return out;
}
