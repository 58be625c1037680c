package translate

import "strconv"

// defaultMaxFiles is the legacy per-request limit on files[] (L§3.1).
const defaultMaxFiles = 50

var (
	createKeys = []string{"workflowId", "files", "rawTexts", "version", "priority", "metadata"}
	// createFileKeys and batchFileKeys start alike: appendFile reads them by position.
	createFileKeys = []string{"fileName", "fileUrl", "fileId", "outputs"}
	outputItemKeys = []string{"processorId", "output"}
)

// Indexes into createKeys.
const (
	cWorkflowID = iota
	cFiles
	cRawTexts
	cVersion
	cPriority
	cMetadata
	cKeys
)

// createRequests turns a legacy create body into one new create body per input
// (files first, then rawTexts, in order). It validates everything first, so a
// bad input never causes a partial fan-out (mapping §3.1.1). All bodies
// share one allocation, each capped so that appending to one cannot
// overwrite the next.
func createRequests(legacy []byte, o Options, rep *Report) ([][]byte, error) {
	d, root, err := parseRequestDoc(legacy)
	if err != nil {
		return nil, err
	}
	defer d.free()
	var f [cKeys]rv
	if err := d.fieldsOf(rvOf(root), nil, createKeys, f[:], &o, rep); err != nil {
		return nil, err
	}
	if err := d.checkWorkflow(f[cWorkflowID], f[cVersion]); err != nil {
		return nil, err
	}
	if err := d.kindOf(f[cPriority], nil, "priority", kNumber); err != nil {
		return nil, err
	}
	if err := d.kindOf(f[cMetadata], nil, "metadata", kObject); err != nil {
		return nil, err
	}
	n, err := d.createInputs(f[cFiles], f[cRawTexts], &o)
	if err != nil {
		return nil, err
	}
	return d.createBodies(f, n, &o, rep)
}

// createBodies writes the n fan-out bodies of a checked create body whose
// members are f, in one pooled buffer, and cuts them from one copy of it.
func (d *doc) createBodies(f [cKeys]rv, n int, o *Options, rep *Report) ([][]byte, error) {
	sb := getBuf()
	defer putBuf(sb)
	// Until the bodies are copied out, out[i] only carries body i's length.
	fb := fanout{d: d, b: sb.b, out: make([][]byte, 0, n), f: f}
	files := reqPath{key: "files", idx: -1}
	var err error
	if d.lead(f[cFiles]) == '[' {
		k := 0
		for i, end, ok := d.members(f[cFiles]); ok; i, ok = d.next(i, end) {
			file := d.valAt(i)
			start := fb.open()
			fp := files.elem(k)
			if fb.b, err = d.appendCreateFile(fb.b, file, &fp, o, rep); err != nil {
				break
			}
			fb.close(start)
			i = file.j
			k++
		}
	}
	if err == nil && d.lead(f[cRawTexts]) == '[' {
		for i, end, ok := d.members(f[cRawTexts]); ok; i, ok = d.next(i, end) {
			j := d.skip(i)
			start := fb.open()
			fb.b = append(append(append(fb.b, `"file":{"text":`...), d.src[i:j]...), '}')
			fb.close(start)
			i = j
		}
	}
	sb.b = fb.b
	if err != nil {
		return nil, err
	}
	return splitBodies(sb.b, fb.out), nil
}

// fanout collects the fan-out bodies in one buffer. Every body starts with
// the same head, `{"workflow":{…},`, and ends with the same tail
// (priority, metadata, '}'): both are written once and copied after.
type fanout struct {
	d          *doc
	b          []byte
	out        [][]byte
	f          [cKeys]rv
	head, tail [2]int // where their first copies are in b
}

// open starts a body and returns its offset.
func (s *fanout) open() int {
	start := len(s.b)
	if s.head[1] == 0 {
		s.b = s.d.appendWorkflow(append(s.b, '{'), s.f[cWorkflowID], s.f[cVersion])
		s.b = append(s.b, ',')
		s.head = [2]int{start, len(s.b)}
	} else {
		s.b = append(s.b, s.b[s.head[0]:s.head[1]]...)
	}
	return start
}

// close ends the body opened at start.
func (s *fanout) close(start int) {
	at := len(s.b)
	if s.tail[1] == 0 {
		s.b = s.d.appendCreateTail(s.b, s.f[cPriority], s.f[cMetadata])
		s.tail = [2]int{at, len(s.b)}
	} else {
		s.b = append(s.b, s.b[s.tail[0]:s.tail[1]]...)
	}
	s.out = append(s.out, s.b[start:])
}

// splitBodies copies all into one allocation and points out (holding each
// body's length) into it.
func splitBodies(all []byte, out [][]byte) [][]byte {
	res := append([]byte(nil), all...)
	off := 0
	for i, b := range out {
		end := off + len(b)
		out[i] = res[off:end:end]
		off = end
	}
	return out
}

// checkWorkflow validates workflowId and version (create and batch).
func (d *doc) checkWorkflow(id, ver rv) error {
	switch d.lead(id) {
	case 0, 'n':
		return reqErr("workflowId", "is required")
	case '"':
	default:
		return reqErr("workflowId", "must be a string")
	}
	if id.j-id.i == 2 { // "" (an escape never unescapes to nothing)
		return reqErr("workflowId", "must not be empty")
	}
	return d.kindOf(ver, nil, "version", kString)
}

// appendWorkflow writes the new `"workflow":{…}` member of a checked workflowId and version.
func (d *doc) appendWorkflow(b []byte, id, ver rv) []byte {
	b = append(append(b, `"workflow":{"id":`...), d.raw(id)...)
	// [silent] "latest" means what a missing version means (mapping §3.1.2).
	if d.lead(ver) == '"' && ver.j-ver.i > 2 && d.str(ver) != "latest" {
		b = append(append(b, `,"version":`...), d.raw(ver)...)
	}
	return append(b, '}')
}

// appendCreateTail closes a fan-out body with the members every body
// shares after the file: priority and metadata, copied verbatim.
func (d *doc) appendCreateTail(b []byte, prio, meta rv) []byte {
	if kNumber.fits(d.lead(prio)) {
		b = append(append(b, `,"priority":`...), d.raw(prio)...)
	}
	if d.lead(meta) == '{' {
		b = append(append(b, `,"metadata":`...), d.raw(meta)...)
	}
	return append(b, '}')
}

// createInputs checks files/rawTexts types and the file limit and returns
// the number of fan-out bodies.
func (d *doc) createInputs(files, texts rv, o *Options) (int, error) {
	if err := d.kindOf(files, nil, "files", kArray); err != nil {
		return 0, err
	}
	if err := d.kindOf(texts, nil, "rawTexts", kArray); err != nil {
		return 0, err
	}
	// Absent and null count as empty.
	nf, nt, bad := 0, 0, -1
	if d.lead(files) == '[' {
		for i, end, ok := d.members(files); ok; i, ok = d.next(d.skip(i), end) {
			nf++
		}
	}
	if d.lead(texts) == '[' {
		for i, end, ok := d.members(texts); ok; i, ok = d.next(d.skip(i), end) {
			if d.src[i] != '"' && bad < 0 {
				bad = nt
			}
			nt++
		}
	}
	if nf == 0 && nt == 0 {
		return 0, reqErr("files", "or rawTexts must contain at least one entry")
	}
	if bad >= 0 {
		return 0, reqErr("rawTexts["+strconv.Itoa(bad)+"]", "must be a string")
	}
	limit := o.MaxFiles
	if limit <= 0 {
		limit = defaultMaxFiles
	}
	n := nf
	if o.CountRawTexts {
		n += nt
	}
	if n > limit {
		msg := "must not contain more than " + strconv.Itoa(limit) +
			" entries per request; use POST /workflow_runs/batch for more"
		return 0, reqErr("files", msg)
	}
	return nf + nt, nil
}

// appendCreateFile writes `"file":{…}[,"outputs":[…]]` for files[i].
func (d *doc) appendCreateFile(b []byte, f rv, p *reqPath, o *Options, rep *Report) ([]byte, error) {
	b = append(b, `"file":`...)
	b, outs, err := d.appendFileOf(b, f, p, createFileKeys, o, rep)
	if err != nil {
		return b, err
	}
	if err := d.kindOf(outs, p, "outputs", kArray); err != nil {
		return b, err
	}
	if d.lead(outs) != '[' {
		return b, nil
	}
	mark := len(b)
	b = append(b, `,"outputs":[`...)
	op := p.member("outputs")
	j := 0
	for i, end, ok := d.members(outs); ok; i, ok = d.next(i, end) {
		if j > 0 {
			b = append(b, ',')
		}
		item := d.valAt(i)
		ip := op.elem(j)
		if b, err = d.appendOutputItem(b, item, &ip, o, rep); err != nil {
			return b, err
		}
		i = item.j
		j++
	}
	if j == 0 {
		return b[:mark], nil // an empty outputs array is left out
	}
	return append(b, ']'), nil
}

// appendOutputItem converts one {processorId, output} override (§3.1.3).
func (d *doc) appendOutputItem(b []byte, item rv, p *reqPath, o *Options, rep *Report) ([]byte, error) {
	if d.lead(item) != '{' {
		return b, errAt(p, "must be an object")
	}
	var f [2]rv
	if err := d.fieldsOf(item, p, outputItemKeys, f[:], o, rep); err != nil {
		return b, err
	}
	pid := f[0]
	if d.lead(pid) != '"' || pid.j-pid.i == 2 {
		at := p.member("processorId")
		return b, errAt(&at, "is required and must be a string")
	}
	b = append(b, `{"processorId":`...)
	alias, ok := "", false
	if len(o.ProcessorAliases) > 0 { // skips the map call when there are none
		alias, ok = o.ProcessorAliases[d.str(pid)]
	}
	if ok {
		b = appendString(b, alias)
	} else {
		b = append(b, d.raw(pid)...)
	}
	b = append(b, `,"output":`...)
	at := p.member("output")
	b, err := d.appendProvidedOf(b, f[1], &at, rep)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}
