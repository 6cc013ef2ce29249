// Package miit simulates MIIT's ICP filing system and the provincial communications administrations (管局)
// behind it (docs/design.md §4.10), faithfully enough that the provider side can be developed, tested, demonstrated and
// used for staff training against it. It implements regulator.Regulator in-process, and regulatorhttp serves
// that interface over HTTP when the simulator runs as its own process (`beian miit serve`; uploads.go keeps the
// answer to each upload sequence).
//
// # The provider interface (docs/design.md §5)
//
// MIIT's 企业系统接口规范 V3.0 is a batch protocol: the provider uploads filings (isp_upload: XZBA new filing,
// XZWZ new service, XZJR new access, BGBA change, ZXBA cancellation), asks whether a domain or credential is
// filed (isp_querybeianstatus), and downloads results from a queue that it acknowledges file by file
// (isp_download / isp_downloadack) — an unacknowledged result is sent again. The simulator keeps that shape:
//
//   - Submit stores an upload, idempotent per provider, order id and attempt (the upload's sequence number).
//     Data conflicts are not transport errors: they come back as an administration_reject result with the code of
//     the spec's table (1003 subject conflict, 1005 domain already filed by another subject, 1017 the subject has
//     another filing in progress, 1046 the subject's province cannot change, 1047/1048 not this provider's access
//     or filing, 1058/1059 not in the registry, 1064/1065 blacklisted, …; codes.go lists them with MIIT's own
//     wording, the i18n catalogs explain each as miit.code.<n>).
//   - Results / Ack are the download queue: every state change decided on the administration's side is queued in
//     the transaction that makes it, returned oldest first until the provider acknowledges it.
//   - LookupSubject / LookupDomain answer the status queries.
//
// # SMS verification (docs/design.md §4.9)
//
// Since 2020-08 every province verifies the principals' phones before review. The order type decides whose
// (docs/design.md §4.9 table): new_filing the subject principal and every service principal, one code per distinct phone;
// new_service, new_access and change_service the service principal(s); change_subject and cancel_subject the
// subject principal; change_access, cancel_service and withdraw_access none (those go straight to review with
// forwarded_no_sms). Codes are 6 random digits sent from 12381, valid 24 hours; the person enters phone, code
// and the last 6 characters of their credential number on MIIT's page (VerifySMS). More than 5 wrong tries
// (sms_failed) or 24 hours without every phone verified (sms_expired, found by Sweep or by the next
// verification attempt) return the submission to the provider. Only keyed hashes of the code, the phone and
// the last 6 characters are stored; the phone itself is sealed, kept only to send a fresh code when delivery
// failed. A submission may be withdrawn while SMS is pending, never once it waits for administration review
// (docs/design.md §4.2).
//
// # Administration review and numbers (docs/design.md §4.11, §8)
//
// A verified submission waits for a decision at most 20 working days (Art. 12; AddWorkdays is injected), by an
// officer of its province (Reviews, Review, Decide) or by the automatic policy (at once or after N working days;
// change_access is always decided at once, as providers report). Approval re-checks the registry, issues the
// numbers and updates the national registry in one transaction:
//
//   - a new subject gets <abbr>ICP备<YYYY><6-digit serial>号, YYYY the year of approval in Beijing, the serial
//     counted per province and year (miit_serials); an existing subject keeps its number;
//   - every service gets <subject number>-<n> from one sequence per subject shared by all kinds, with the suffix A
//     for APPs, X for mini programs and K for quick apps (website -1, APP -2A, …). Subjects and services are
//     never deleted, only marked cancelled, so no number is ever issued twice; unique constraints back this up.
//   - new_filing / new_service(_no_subject) add the subject, services, domains and this provider's access;
//     new_access adds an access; change_* update; cancel_service cancels the service; cancel_subject the subject
//     and its services; withdraw_access removes this provider's access and cancels the service when no access
//     is left (docs/design.md §4.12).
//
// Concurrent writers (several requests, several nodes on PostgreSQL) are kept apart only where they touch the
// same things: a submission's row is locked before it or its codes change, the registry checks of a decision run
// under locks on the subject's and each domain's key, and unique constraints back the registry's identities
// (locks.go). On SQLite every write transaction holds the database's write lock. Sweep handles each item in its own transaction under a state condition and is safe to run on several nodes.
//
// # Registry and public query
//
// miit_subjects and miit_services hold the registry (personal data sealed), miit_domains one row per domain of
// a filed service carrying the whole public record, so that the public query by domain is one probe of one
// B-tree (clustered by domain on SQLite), through statements prepared once on the read pool. Records carry no
// personal data. LoadRegistry bulk-loads filed subjects (demo seed, benchmarks) with multi-row inserts in large
// transactions.
//
// # Blacklists
//
// Blacklisted domains (and their subdomains) cannot be filed (1064); blacklisted subjects, kept as keyed
// hashes of their credential numbers, cannot file (1065). LookupDomain reports a blacklisted domain.
package miit
