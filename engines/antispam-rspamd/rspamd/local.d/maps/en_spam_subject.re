# English spam and phishing subjects (Omamori).
/\b(viagra|cialis|levitra)\b/i
/\b(winner|you (have )?won|congratulations)\b/i
/\b(act now|limited time|100% free|risk[- ]free)\b/i
/\b(account|mailbox).{0,20}(suspended|locked|deactivated|on hold)\b/i
/\burgent\b/i
