# English extortion wording in the text (Omamori).
/\bbitcoin (wallet|address)\b/i
/\b(recorded you|your webcam|intimate video)\b/i
