# Links whose host is a bare IPv4 address (Omamori).
/^https?:\/\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}([:\/?#]|$)/i
