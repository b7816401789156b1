/* The search index of this site (search-index.json), for pages opened from disk. */
window.docketSearchIndex = {"commit":null,"items":[
{"kind":"vendor","title":"Acme & Sons","url":"vendors/acme/index.html","meta":"Banned · United States","text":"acme corp antivirus shield pro a maker of anvils indented code stays raw html is left out records"},
{"kind":"action","title":"Hearing on anvils","url":"vendors/acme/index.html#review","meta":"Hearing · Senate · Acme & Sons · 11 May 2017","text":""},
{"kind":"action","title":"Order 1","url":"vendors/acme/index.html#order-1","meta":"Directive · DHS · Acme & Sons · 13 September 2017","text":"federal systems remove all anvils link"},
{"kind":"action","title":"The Anvil Act","url":"vendors/acme/index.html#law","meta":"Law · Congress · Acme & Sons · 12 December 2017","text":""},
{"kind":"vendor","title":"Globex","url":"vendors/globex/index.html","meta":"Under review · Germany","text":"under review"},
{"kind":"action","title":"Inquiry","url":"vendors/globex/index.html#inquiry","meta":"Investigation · Agency · Globex · 28 February 2019","text":""},
{"kind":"page","title":"2017 in review","url":"reports/2017/index.html","meta":null,"text":"the year register began"},
{"kind":"page","title":"Charts","url":"reports/charts/index.html","meta":null,"text":"vendors by status banned 1 under review country germany united states actions year 2017 3 2018 0 2019 authority agency congress dhs senate acme's order is due 12 december 90 days after 13 september see acme sons"},
{"kind":"page","title":"Reports","url":"reports/index.html","meta":"Reports on the register.","text":"reports on the register"},
{"kind":"list","title":"Status: Under review","url":"status/under-review/index.html","meta":"1 vendor","text":"under-review"},
{"kind":"list","title":"Status: Banned","url":"status/banned/index.html","meta":"1 vendor","text":"banned"},
{"kind":"list","title":"Country: Germany","url":"country/de/index.html","meta":"1 vendor","text":"de"},
{"kind":"list","title":"Country: United States","url":"country/us/index.html","meta":"1 vendor","text":"us"},
{"kind":"list","title":"Authority: Agency","url":"authority/agency/index.html","meta":"1 vendor, 1 action","text":"agency"},
{"kind":"list","title":"Authority: Congress","url":"authority/congress/index.html","meta":"1 vendor, 1 action","text":"congress"},
{"kind":"list","title":"Authority: DHS","url":"authority/dhs/index.html","meta":"1 vendor, 1 action","text":"dhs"},
{"kind":"list","title":"Authority: Senate","url":"authority/senate/index.html","meta":"1 vendor, 1 action","text":"senate"},
{"kind":"list","title":"Action type: Directive","url":"type/directive/index.html","meta":"1 vendor, 1 action","text":"directive"},
{"kind":"list","title":"Action type: Law","url":"type/law/index.html","meta":"1 vendor, 1 action","text":"law"},
{"kind":"list","title":"Action type: Hearing","url":"type/hearing/index.html","meta":"1 vendor, 1 action","text":"hearing"},
{"kind":"list","title":"Action type: Investigation","url":"type/investigation/index.html","meta":"1 vendor, 1 action","text":"investigation"}
]};
