// Reviewers' merge / keep-apart decisions, in the order they were written.
MATCH (c:ReviewerConstraint)
RETURN c.left_mention AS left_mention, c.right_mention AS right_mention, c.merge AS merge,
       c.decided_by AS decided_by, c.at AS at
ORDER BY c.seq
