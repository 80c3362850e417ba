package phone_test

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/internal/phone"
)

func ExampleParse() {
	for _, in := range []string{"+82 10-1234-5678", "(02) 123-4567", "0505.123.4567", "1588 1234"} {
		n, err := phone.Parse(in)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(n.Digits(), n.Kind(), n.IsMobile())
	}
	// Output:
	// 01012345678 mobile true
	// 021234567 landline false
	// 05051234567 personal false
	// 15881234 representative false
}

func ExampleParse_error() {
	_, err := phone.Parse("010-123-4567")
	var perr *phone.Error
	if errors.As(err, &perr) {
		fmt.Println(perr.Reason, errors.Is(err, phone.ErrInvalid))
	}
	fmt.Println(err)
	// Output:
	// wrong number of digits for its prefix true
	// phone: invalid number: wrong number of digits for its prefix (******4567)
}

func ExampleNormalize() {
	digits, err := phone.Normalize("+82 (0)10 1234 5678")
	fmt.Println(digits, err)
	// Output: 01012345678 <nil>
}

func ExampleNumber_Format() {
	for _, in := range []string{"01012345678", "0212345678", "0311234567", "050412345678", "15881234", "0801234567"} {
		n, _ := phone.Parse(in)
		fmt.Println(n.Format())
	}
	// Output:
	// 010-1234-5678
	// 02-1234-5678
	// 031-123-4567
	// 0504-1234-5678
	// 1588-1234
	// 080-123-4567
}

func ExampleNumber_Masked() {
	for _, in := range []string{"010-1234-5678", "02-123-4567", "1588-1234"} {
		n, _ := phone.Parse(in)
		fmt.Println(n.Masked())
	}
	// Printing a Number prints the masked form too.
	n, _ := phone.Parse("010-1234-5678")
	fmt.Println(n)
	// Output:
	// 010-****-5678
	// 02-***-4567
	// 1588-****
	// 010-****-5678
}

func ExampleNumber_E164() {
	n, _ := phone.Parse("010-1234-5678")
	fmt.Println(n.E164())
	// Output: +821012345678
}

func ExampleMask() {
	fmt.Println(phone.Mask("010-1234-5678"))
	fmt.Println(phone.Mask("010-1234-567")) // not a valid number: only the last 4 digits remain
	// Output:
	// 010-****-5678
	// ******4567
}

func ExampleMaskIn() {
	body := `{"phn":"01012345678","order":"20261122-0000123","fail_phn":"+82 10-9876-5432","amount":18000000}`
	fmt.Println(phone.MaskIn(body))
	// Output:
	// {"phn":"010****5678","order":"20261122-0000123","fail_phn":"+82 10-****-5432","amount":18000000}
}

func ExampleNumber_IsZero() {
	var recipient phone.Number // no number given yet
	fmt.Println(recipient.IsZero())
	recipient, _ = phone.Parse("010-1234-5678")
	fmt.Println(recipient.IsZero())
	// Output:
	// true
	// false
}

func ExampleKind() {
	for _, in := range []string{"010-1234-5678", "012-3456-7890", "070-1234-5678", "060-700-1234"} {
		n, _ := phone.Parse(in)
		switch n.Kind() {
		case phone.Mobile:
			fmt.Println(n.Masked(), "can receive AlimTalk")
		default:
			fmt.Println(n.Masked(), "is", n.Kind())
		}
	}
	// Output:
	// 010-****-5678 can receive AlimTalk
	// 012-****-7890 is m2m
	// 070-****-5678 is voip
	// 060-***-1234 is premium
}
