"""E-mail to requesters and staff: bilingual templates, an SMTP sender, lifecycle and reminder
mails written to the outbox in the transaction that causes them."""
