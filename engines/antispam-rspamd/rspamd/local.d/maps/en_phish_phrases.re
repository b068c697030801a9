# English phishing and extortion wording in the text (Omamori).
/\bverify your (account|identity|password|mailbox)\b/i
/\b(account|mailbox) (has been|will be) (suspended|locked|closed|deactivated)\b/i
/\bwithin (24|48) hours\b/i
/\b(processing|transfer|release) fee\b/i
