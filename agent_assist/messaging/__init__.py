"""Follow-up text messages after a call: templates, rendering, the policy check, the outbox.

Not an auto-dialler: a collector (or team lead) queues one message from a
template for a case; the bank's SMS gateway gets it by CSV export or HTTP.
A message is only ever addressed to a case, never to a phone number, so it
can reach no one but the case's own debtor. ``docs/messages.md`` has the
template format and the commands.

Modules: :mod:`.templates` (the YAML libraries), :mod:`.variables`, :mod:`.render`,
:mod:`.policy` (the check before queueing and before sending),
:mod:`.outbox` (the repository), :mod:`.gateway` (HTTP), :mod:`.dispatch`
(export and send).
"""
