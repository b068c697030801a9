# Japanese adult and dating spam wording in the text (Omamori).
/(人妻|熟女|セフレ|無修正)/
/(出会い系|即会い|今夜会える)/
