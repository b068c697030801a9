# English advertising spam wording in the text (Omamori).
/\b(viagra|cialis|levitra)\b/i
/\b(cheap|discount) (meds|pills|rolex|replica)\b/i
/\b(100% free|risk[- ]free|act now|limited time offer)\b/i
/\bguaranteed (income|returns?|profits?|ranking)\b/i
/\b(work from home|make money fast|double your (money|bitcoin))\b/i
/\bclaim your (prize|reward|winnings|funds)\b/i
