package kshop

// Version is the SDK's version, sent in the User-Agent header as kshop-go/<Version>.
const Version = "0.2.0"
