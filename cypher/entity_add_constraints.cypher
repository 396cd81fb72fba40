// Reviewers' merge / keep-apart decisions about two mentions, which later resolution
// obeys; seq (from the 'reviewer_constraint' counter) keeps them in the order given.
// $rows: list of {seq, left_mention, right_mention, merge, decided_by, at (ISO 8601)}.
UNWIND $rows AS row
CREATE (:ReviewerConstraint {
  seq: row.seq, left_mention: row.left_mention, right_mention: row.right_mention,
  merge: row.merge, decided_by: row.decided_by, at: row.at
})
