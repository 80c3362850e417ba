package eposttest

import (
	"net/http"
	"strings"
)

// xmlDoc writes the answers: UTF-8 XML with every value in CDATA, as the service sends them.
type xmlDoc struct{ b strings.Builder }

func newXML(root string) *xmlDoc {
	d := &xmlDoc{}
	d.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	d.open(root)
	return d
}

func (d *xmlDoc) open(name string)  { d.b.WriteString("<" + name + ">") }
func (d *xmlDoc) close(name string) { d.b.WriteString("</" + name + ">") }

// leaf writes <name><![CDATA[value]]></name>, or <name/> for an empty value (the service's
// nulls).
func (d *xmlDoc) leaf(name, value string) {
	if value == "" {
		d.b.WriteString("<" + name + "/>")
		return
	}
	d.b.WriteString("<" + name + "><![CDATA[")
	d.b.WriteString(strings.ReplaceAll(value, "]]>", "]]]]><![CDATA[>"))
	d.b.WriteString("]]></" + name + ">")
}

func (d *xmlDoc) send(w http.ResponseWriter, root string) {
	d.close(root)
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(d.b.String()))
}

// writeError writes the contract API's error answer, in an HTTP 200 body as the service does.
func writeError(w http.ResponseWriter, code, message string) {
	d := newXML("error")
	d.leaf("error_code", code)
	d.leaf("message", message)
	d.send(w, "error")
}

func writeHTML(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>"))
}
