def index(r): pass
client_notes=new_note=record_pdf=note=sign=addendum=hold=release=index
