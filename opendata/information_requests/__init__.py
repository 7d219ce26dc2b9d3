"""Information requests under UU KIP: filing, notice, extension, objection, dispute."""
