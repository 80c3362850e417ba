package lunasoft

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Default variable names that carry a delivery-tracking template's courier and waybill
// number: those the alimtalk Dispatcher fills from Event.Courier and Event.WaybillNo.
const (
	DefaultCourierVariable = string(alimtalk.FieldCourier)
	DefaultWaybillVariable = string(alimtalk.FieldWaybillNo)
)

// CatalogTemplate is one template approved at Lunasoft, as the shop copies it from the
// Lunasoft console (templates cannot be read or edited through the jupiter API).
type CatalogTemplate struct {
	// ID is Lunasoft's template ID (template_id, an integer such as 50034).
	ID int64
	// Alias is an optional second code the shop uses for the template ("ORDER_RECEIVED"), so
	// that an alimtalk.Config written for another provider works unchanged: a Message whose
	// TemplateCode is the alias is sent with ID.
	Alias string
	// Template is the approved template: its Content, emphasis Title, and Buttons in
	// Lunasoft's order (button URLs may hold #{variables}). Its Code is ignored (the ID and
	// the Alias are the codes).
	Template alimtalk.Template
	// Tracking marks a delivery-tracking template: its messages need carrier_code and
	// invoice_number. A template with a delivery (DS) button is one whatever this says.
	Tracking bool
	// CourierVariable and WaybillVariable name the Variables that carry the courier name
	// and the waybill number of a tracking template (default "courier" and "waybillNo", the
	// Dispatcher's names).
	CourierVariable, WaybillVariable string
}

// tracking reports whether t is a delivery-tracking template.
func (t *CatalogTemplate) tracking() bool {
	if t.Tracking {
		return true
	}
	for _, b := range t.Template.Buttons {
		if b.Type == alimtalk.ButtonDelivery {
			return true
		}
	}
	return false
}

// TemplateCatalog holds the shop's Lunasoft templates by ID (and alias), for rendering and
// checking messages before they are sent. It implements alimtalk.TemplateSource (give it to
// WithTemplates and to alimtalk.NewDispatcher) and is safe for concurrent use once built.
//
// A catalog loads from code (NewTemplateCatalog) or from JSON (LoadTemplateCatalog), in the
// schema the package documentation shows.
type TemplateCatalog struct {
	byCode  map[string]*catalogEntry
	entries []*catalogEntry
}

type catalogEntry struct {
	CatalogTemplate
	byID, byAlias *alimtalk.Template // the template under each of its codes
}

// NewTemplateCatalog checks the templates and builds a catalog. It refuses, with a
// *kshop.ValidationError listing every problem, an ID that is not positive or appears twice,
// an alias that is numeric or used twice, and a template that breaks Kakao's rules
// (alimtalk.Template.Validate).
func NewTemplateCatalog(templates ...CatalogTemplate) (*TemplateCatalog, error) {
	return newCatalog("lunasoft.NewTemplateCatalog", templates)
}

func newCatalog(op string, templates []CatalogTemplate) (*TemplateCatalog, error) {
	c := &TemplateCatalog{byCode: map[string]*catalogEntry{}}
	var problems []*kshop.FieldError
	for i, t := range templates {
		at := "Templates[" + strconv.Itoa(i) + "]"
		key := "templates[" + strconv.Itoa(i) + "]"
		idText := strconv.FormatInt(t.ID, 10)
		switch {
		case t.ID <= 0:
			problems = append(problems, &kshop.FieldError{Field: at + ".ID", Key: key + ".id", Rule: kshop.RuleRange,
				Detail: "Lunasoft template IDs are positive integers"})
		case c.byCode[idText] != nil:
			problems = append(problems, &kshop.FieldError{Field: at + ".ID", Key: key + ".id", Rule: kshop.RuleConflict,
				Detail: "another template has this ID"})
		}
		alias := strings.TrimSpace(t.Alias)
		if alias != "" {
			if _, err := strconv.ParseInt(alias, 10, 64); err == nil {
				problems = append(problems, &kshop.FieldError{Field: at + ".Alias", Key: key + ".alias", Rule: kshop.RuleFormat,
					Detail: "an alias must not be a number (numbers are template IDs)"})
			} else if c.byCode[alias] != nil {
				problems = append(problems, &kshop.FieldError{Field: at + ".Alias", Key: key + ".alias", Rule: kshop.RuleConflict,
					Detail: "another template has this alias"})
			}
		}
		if err := t.Template.Validate(alimtalk.Limits{}); err != nil {
			var fes alimtalk.FieldErrors
			if errors.As(err, &fes) {
				for _, fe := range fes {
					problems = append(problems, &kshop.FieldError{Field: at + ".Template." + fe.Field, Key: key + "." + fe.Key,
						Rule: fe.Reason.Rule(), Limit: fe.Limit, Got: fe.Got, Detail: fe.Detail, Err: fe.Err})
				}
			}
		}
		if t.CourierVariable == "" {
			t.CourierVariable = DefaultCourierVariable
		}
		if t.WaybillVariable == "" {
			t.WaybillVariable = DefaultWaybillVariable
		}
		t.Alias = alias
		e := &catalogEntry{CatalogTemplate: t}
		byID := t.Template
		byID.Code = idText
		e.byID = &byID
		if t.ID > 0 && c.byCode[idText] == nil {
			c.byCode[idText] = e
		}
		if alias != "" {
			byAlias := t.Template
			byAlias.Code = alias
			e.byAlias = &byAlias
			if c.byCode[alias] == nil {
				c.byCode[alias] = e
			}
		}
		c.entries = append(c.entries, e)
	}
	if err := kshop.NewValidationError(op, problems); err != nil {
		return nil, err
	}
	return c, nil
}

// Template returns the template whose ID (as text, "50034") or alias is code, with Code set
// to code. It implements alimtalk.TemplateSource.
func (c *TemplateCatalog) Template(code string) (*alimtalk.Template, bool) {
	e := c.entry(code)
	if e == nil {
		return nil, false
	}
	if e.byAlias != nil && code == e.Alias {
		return e.byAlias, true
	}
	return e.byID, true
}

// Lookup returns the catalog entry whose ID or alias is code.
func (c *TemplateCatalog) Lookup(code string) (CatalogTemplate, bool) {
	e := c.entry(code)
	if e == nil {
		return CatalogTemplate{}, false
	}
	return e.CatalogTemplate, true
}

// IDs lists the catalog's template IDs in the order they were given.
func (c *TemplateCatalog) IDs() []int64 {
	out := make([]int64, len(c.entries))
	for i, e := range c.entries {
		out[i] = e.ID
	}
	return out
}

func (c *TemplateCatalog) entry(code string) *catalogEntry {
	if c == nil {
		return nil
	}
	return c.byCode[strings.TrimSpace(code)]
}

// catalogFile is the JSON form of a catalog (see the package documentation).
type catalogFile struct {
	Templates []catalogFileTemplate `json:"templates"`
}

type catalogFileTemplate struct {
	ID          json.RawMessage      `json:"id"`
	Alias       string               `json:"alias"`
	Name        string               `json:"name"`
	Content     string               `json:"content"`
	MessageType string               `json:"message_type"`
	Emphasis    string               `json:"emphasis"`
	Title       string               `json:"title"`
	Subtitle    string               `json:"subtitle"`
	Extra       string               `json:"extra"`
	Ad          string               `json:"ad"`
	Buttons     []catalogFileButton  `json:"buttons"`
	Tracking    *catalogFileTracking `json:"tracking"`
}

type catalogFileButton struct {
	Type          string `json:"type"`
	Name          string `json:"name"`
	URLMobile     string `json:"url_mobile"`
	URLPC         string `json:"url_pc"`
	SchemeAndroid string `json:"scheme_android"`
	SchemeIOS     string `json:"scheme_ios"`
}

type catalogFileTracking struct {
	CourierVariable string `json:"courier_variable"`
	WaybillVariable string `json:"waybill_variable"`
}

// LoadTemplateCatalog reads a catalog from JSON in the schema the package documentation
// shows. Unknown fields, a missing or non-integer id, and every problem NewTemplateCatalog
// finds are refused with one *kshop.ValidationError. The input is read up to 8 MiB.
func LoadTemplateCatalog(r io.Reader) (*TemplateCatalog, error) {
	const op = "lunasoft.LoadTemplateCatalog"
	raw, err := io.ReadAll(io.LimitReader(r, 8<<20+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > 8<<20 {
		return nil, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "catalog", Rule: kshop.RuleTooLong, Limit: 8 << 20}})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "catalog", Rule: kshop.RuleFormat,
			Detail: "not a catalog in the documented JSON schema", Err: err}})
	}
	var problems []*kshop.FieldError
	templates := make([]CatalogTemplate, len(f.Templates))
	for i, ft := range f.Templates {
		var flex wire.FlexString
		id, err := int64(0), json.Unmarshal(ft.ID, &flex)
		if err == nil {
			id, err = flex.Int()
		}
		if err != nil || len(ft.ID) == 0 {
			problems = append(problems, &kshop.FieldError{Field: "Templates[" + strconv.Itoa(i) + "].ID",
				Key: "templates[" + strconv.Itoa(i) + "].id", Rule: kshop.RuleFormat, Detail: "an integer template ID is required"})
			id = 0
		}
		t := CatalogTemplate{ID: id, Alias: ft.Alias, Template: alimtalk.Template{
			Name: ft.Name, Content: ft.Content, MessageType: alimtalk.MessageType(ft.MessageType),
			Emphasis: alimtalk.Emphasis(ft.Emphasis), Title: ft.Title, Subtitle: ft.Subtitle, Extra: ft.Extra, Ad: ft.Ad,
		}}
		for _, b := range ft.Buttons {
			t.Template.Buttons = append(t.Template.Buttons, alimtalk.Button{Type: alimtalk.ButtonType(b.Type), Name: b.Name,
				URLMobile: b.URLMobile, URLPC: b.URLPC, SchemeAndroid: b.SchemeAndroid, SchemeIOS: b.SchemeIOS})
		}
		if ft.Tracking != nil {
			t.Tracking, t.CourierVariable, t.WaybillVariable = true, ft.Tracking.CourierVariable, ft.Tracking.WaybillVariable
		}
		templates[i] = t
	}
	c, err := newCatalog(op, templates)
	if err != nil {
		var ve *kshop.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				if !sameField(problems, p) {
					problems = append(problems, p)
				}
			}
		}
	}
	if err := kshop.NewValidationError(op, problems); err != nil {
		return nil, err
	}
	return c, nil
}

// sameField reports whether problems already hold one about p's field.
func sameField(problems []*kshop.FieldError, p *kshop.FieldError) bool {
	for _, q := range problems {
		if q.Key == p.Key {
			return true
		}
	}
	return false
}

// LoadTemplateCatalogFile reads a catalog from a JSON file (see LoadTemplateCatalog).
func LoadTemplateCatalogFile(path string) (*TemplateCatalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return LoadTemplateCatalog(f)
}
