// Package phone parses, classifies, formats and masks South Korean phone numbers for every kshop
// package: AlimTalk recipients and senders (alimtalk, ssoda, lunasoft), parcel contacts (epost),
// chat links (happytalk), and the log redaction of the HTTP transport.
//
// # Parsing
//
// Parse accepts what customers type and shops store: "010-1234-5678", "01012345678",
// "010.1234.5678", "(02) 123-4567", "+82 10 1234 5678", "+82 (0)10-1234-5678",
// "82-10-1234-5678", "1588-1234". It returns a Number (national digits plus a Kind) or an
// *Error naming the Reason. Error texts carry only a masked copy of the input.
//
// # The rules
//
// The plan follows libphonenumber's KR metadata (lengths count the dialled digits, trunk 0
// included):
//
//	Kind            prefixes                                 digits  written
//	Mobile          010                                      11      010-1234-5678
//	Mobile          011 016 017 018 019                      10–11   011-123-4567, 011-1234-5678
//	M2M             012                                      10–11   012-3456-7890
//	Landline        02                                       9–10    02-123-4567, 02-1234-5678
//	Landline        031–033 041–044 051–055 061–064          10–11   031-123-4567, 031-1234-5678
//	VoIP            070                                      11      070-1234-5678
//	Personal        0500–0509 (안심번호)                      11–12   0505-123-4567, 0504-1234-5678
//	Representative  1522 1533 1544 1566 1577 1588 1599 1600   8       1588-1234
//	                1644 1660 1661 1666 1668 1670 1688 1800
//	                1833 1855 1877 1899
//	TollFree        080                                      10      080-123-4567
//	Premium         060, next digit 2–9                      10      060-700-1234
//
// A landline subscriber part never starts with 0 (InvalidSubscriber); the subscriber part of a
// personal number (mobile, M2M, VoIP, 050x) may not be one repeated digit (RepeatedDigits:
// 010-0000-0000 is a form placeholder).
//
// Deliberate differences from libphonenumber, each checked by the differential test in this
// package against github.com/nyaruka/phonenumbers:
//
//   - 010 must have 11 digits (the metadata also allows 10).
//   - The metadata's unassigned sub-blocks inside 010 (0105 97x–99x) and 012 (0122 other than
//     01221/01223) are accepted: allocations change, and refusing a real customer costs more.
//   - 012 is its own kind, M2M, not Mobile: nobody reads an AlimTalk sent to a machine.
//   - 015 pagers (service ended) and 030 (toll-free in the metadata, unused in retail) are
//     refused as UnknownPrefix.
//   - Area code + 1xx(x) local service numbers are refused (Length): not subscriber lines.
//   - libphonenumber strips 081–088 carrier-selection codes and a trunk 0 before
//     representative numbers; we refuse such input.
//   - A number that lost its leading 0 ("1012345678") is refused with MissingTrunkZero rather
//     than repaired: the value has been through a spreadsheet or a numeric field and the caller
//     should know. The international forms (+82 10…) of course carry no 0 and are accepted.
//   - We write 050x numbers 0505-123-4567 / 0504-1234-5678 (libphonenumber: 050-5123-4567).
//
// # Masking
//
// Number.Masked hides the middle group (010-****-5678, 02-***-4567, 0505-***-4567) and, for
// representative numbers that have none, the last group (1588-****). Number.String and
// Number.LogValue return the masked form so that a Number never leaks through fmt or slog. Mask
// masks one string (keeping at most the last 4 digits of anything that does not parse), and
// MaskIn masks every number in free text; its doc comment describes the heuristic that keeps
// order numbers, amounts, waybills, timestamps and dates intact.
//
// Parse makes no allocation for a valid number; MaskIn makes none for text without numbers.
package phone
