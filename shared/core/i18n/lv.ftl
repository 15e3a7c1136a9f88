# Latviešu. $what ir rēķina apraksts (what-single / what-several), vienmēr pēc kola.
days-count = { $days ->
    [one] { $days } diena
   *[other] { $days } dienas
}
what-single = rēķins { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } neapmaksāts rēķins
   *[other] { $count } neapmaksāti rēķini
}, kopā { $amount }
subject-before = Apmaksas termiņš { $due }: { $what }
subject-overdue = Atgādinājums par maksājumu: { $what }
subject-firm = Otrais atgādinājums: { $what }
subject-final = Pēdējais atgādinājums: { $what }
subject-suspension = Pakalpojuma apturēšana { $stop }: { $what }
subject-thanks = Paldies par maksājumu
greeting = Labdien, { $name }!
body-before = Draudzīgi atgādinām, ka { $due } pienāk apmaksas termiņš: { $what }.
body-before-2 = Ja maksājums jau ir veikts, pateicamies un lūdzam neņemt vērā šo vēstuli.
body-overdue = Vēl neesam saņēmuši maksājumu, kura termiņš bija { $due } (kavējums: { days-count }): { $what }.
body-overdue-2 = Iespējams, tas vienkārši palicis nepamanīts. Būsim pateicīgi, ja varēsiet to apmaksāt tuvākajā laikā.
body-firm = Maksājuma kavējums jau ir { days-count }: { $what }.
body-firm-2 = Lūdzu, veiciet maksājumu vai atbildiet uz šo vēstuli, ja kaut kas to kavē, — atradīsim risinājumu kopā.
body-final = Neskatoties uz iepriekšējiem atgādinājumiem, maksājums joprojām nav saņemts (kavējums: { days-count }): { $what }.
body-final-2 = Lūdzu, apmaksājiet 7 dienu laikā vai sazinieties ar mums, ja rēķinā ir kāda problēma. Labprāt atradīsim risinājumu kopā ar jums.
body-suspension = Maksājums joprojām nav saņemts (kavējums: { days-count }): { $what }.
body-suspension-2 = Ja maksājums nebūs saņemts līdz { $stop }, šajā dienā mums nāksies apturēt jūsu pakalpojumu. Tas tiks atjaunots, tiklīdz rēķins būs apmaksāts.
body-suspension-3 = Ja maksājums jau ir ceļā vai vēlaties vienoties par maksājumu grafiku, vienkārši atbildiet uz šo vēstuli.
body-thanks = Paldies! Esam saņēmuši jūsu maksājumu: { $what }.
body-thanks-2 = Visi rēķini ir apmaksāti. Novērtējam mūsu sadarbību.
closing = Paldies par sadarbību.
sign-off = Ar cieņu
label-invoice = Rēķins
label-due-date = Apmaksas termiņš
label-amount-due = Apmaksājamā summa
label-total = Kopā apmaksai
label-pay-now = Apmaksāt
label-questions = Jautājumi par rēķinu? Rakstiet uz
overdue-days = kavējums: { days-count }
answer-intro = Jau samaksājāt vai vajag vairāk laika? Dariet mums zināmu:
answer-paid = Esmu jau samaksājis
answer-promise = Samaksāšu noteiktā datumā
answer-dispute = Apstrīdu rēķinu
unsubscribe = Nevēlaties atgādinājumus pirms termiņa? Atteikties
label-registry = Reģ. Nr.
label-vat = PVN Nr.
bank-transfer = Bankas pārskaitījums: IBAN { $iban }; maksājuma mērķī lūdzu norādiet rēķina numuru.
sms-what-single = rēķins { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } rēķins
   *[other] { $count } rēķini
}, { $amount }
sms-before = { $creditor }: atgādinājums, termiņš { $due }: { $what }
sms-overdue = { $creditor }: termiņš bija { $due }: { $what }. Lūdzu, apmaksājiet
sms-firm = { $creditor }: kavējums { days-count }: { $what }. Lūdzu, apmaksājiet
sms-final = { $creditor }: pēdējais atgādinājums: { $what }. Apmaksājiet 7 dienu laikā
sms-suspension = { $creditor }: nav apmaksāts: { $what }. Pakalpojums tiks apturēts { $stop }
sms-thanks = { $creditor }: paldies, maksājums saņemts.
answer-title-paid = Esmu jau samaksājis
answer-title-promise = Samaksāšu noteiktā datumā
answer-title-dispute = Apstrīdu rēķinu
answer-title-unsubscribe = Bez atgādinājumiem pirms termiņa
answer-ask-paid = Pastāstiet uzņēmumam { $creditor }, ka jau esat samaksājis: { $what }. Atgādinājumi tiks apturēti uz 7 dienām, kamēr maksājums pienāk.
answer-ask-promise = Pastāstiet uzņēmumam { $creditor }, līdz kuram datumam samaksāsiet: { $what }. Līdz tam atgādinājumu nebūs.
answer-ask-dispute = Uzrakstiet uzņēmumam { $creditor }, kas nav kārtībā: { $what }. Atgādinājumi tiks apturēti, līdz jautājums būs izskatīts.
answer-ask-unsubscribe = Atteikties no uzņēmuma { $creditor } draudzīgajiem atgādinājumiem pirms apmaksas termiņa. Atgādinājumi par kavētiem rēķiniem turpināsies.
answer-date = Maksājuma datums
answer-reason = Kas nav kārtībā?
answer-send = Nosūtīt
answer-done-paid = Paldies! Uzņēmums { $creditor } ir informēts, un atgādinājumi ir apturēti uz 7 dienām.
answer-done-promise = Paldies! Uzņēmums { $creditor } ir informēts, ka samaksāsiet līdz { $date }.
answer-done-dispute = Paldies! Uzņēmums { $creditor } ir informēts un sazināsies ar jums.
answer-done-unsubscribe = Gatavs. { $creditor } vairs nesūtīs atgādinājumus pirms termiņa.
answer-invalid = Šī saite nedarbojas. Lūdzu, izmantojiet saiti no jaunākās vēstules vai atbildiet uz e-pastu.
answer-expired = Šīs saites derīguma termiņš ir beidzies. Lūdzu, atbildiet uz e-pastu.
answer-bad-date = Lūdzu, izvēlieties datumu no šodienas līdz 90 dienām uz priekšu.
statement-more = { $count ->
    [one] vēl { $count } neapmaksāts rēķins
   *[other] vēl { $count } neapmaksāti rēķini
}, kopā { $amount }
label-see-all = Skatīt visus neapmaksātos rēķinus
statement-title = { $creditor }: neapmaksātie rēķini
statement-empty = Neapmaksātu rēķinu nav. Paldies!
notify-answer-subject = { $debtor } atbildēja: { $invoices }
notify-answer-paid = { $debtor } paziņo, ka ir samaksājis: { $invoices }. Atgādinājumi apturēti līdz { $date }.
notify-answer-promise = { $debtor } apsola samaksāt līdz { $date }: { $invoices }. Līdz tam atgādinājumu nebūs.
notify-answer-dispute = { $debtor } apstrīd: { $invoices }. Iemesls: “{ $reason }”. Atgādinājumi apturēti, līdz jūs to atrisināsiet Duly.
notify-answer-unsubscribe = { $debtor } nevēlas atgādinājumus pirms apmaksas termiņa. Atgādinājumi par kavētiem rēķiniem turpināsies.
notify-answer-footer = Duly ir pielāgojis atgādinājumus; to var mainīt Duly iestatījumos.
notify-revoked-subject = Duly vairs nevar piekļūt: { $platform }
notify-revoked-body = { $platform } vairs neļauj Duly lasīt jūsu rēķinus, tāpēc atgādinājumi ir apturēti un neviens netiks nosūtīts pēc novecojuša atlikuma. Lai tos atsāktu, vēlreiz savienojiet { $platform } ar Duly.
notify-sync-failing-subject = Duly nevar saņemt datus no { $platform }
notify-sync-failing-body = Apmēram { $hours } stundas Duly nav varējis nolasīt jūsu rēķinus no { $platform }. Atgādinājumi gaida, līdz atlikumi atkal ir aktuāli, lai nevienam neatgādinātu par jau apmaksātu rēķinu. Duly turpina mēģināt; ja { $platform } ziņo par savienojuma problēmu, savienojiet to ar Duly vēlreiz.
notify-bounced-subject = E-pasts klientam { $debtor } netika piegādāts
notify-bounced-body = Atgādinājumu klientam { $debtor } neizdevās piegādāt uz viņa adresi, tāpēc Duly uz to vairs nesūta e-pastus. Izlabojiet adresi savā grāmatvedības sistēmā; īsziņas joprojām tiek sūtītas, ja ir mobilā tālruņa numurs.
notify-complained-subject = { $debtor } atzīmēja atgādinājumu kā surogātpastu
notify-complained-body = { $debtor } ziņoja, ka atgādinājums ir nevēlams, tāpēc Duly viņam vairs nesūta e-pastus. Iespējams, ir vērts sazināties ar viņu pašiem.
notify-dead-message-subject = Atgādinājumu klientam { $debtor } neizdevās nosūtīt
notify-dead-message-body = Visi kanāli neizdevās arī pēc atkārtotiem mēģinājumiem, tāpēc šis atgādinājums netika nosūtīts. Sīkāka informācija ir Duly neizdevušos ierakstu sarakstā; nākamais grafika solis mēģinās vēlreiz.
notify-dead-template-subject = Jūsu veidne { $template } ({ $language }) neizdevās
notify-dead-template-body = Jūsu veidne { $template } valodā { $language } neizdevās īstā ziņojumā, tāpēc Duly izmantoja savu standarta tekstu. Pārskatiet veidni priekšskatījumā un saglabājiet to vēlreiz.
notify-dead-sync-subject = Duly nevarēja nolasīt ierakstu no { $platform }
notify-dead-sync-body = Duly pārtrauca mēģinājumus iegūt { $entity } { $resource } no { $platform }. Nākamā ikdienas salīdzināšana to nolasīs vēlreiz; ja tas tika dzēsts { $platform }, nekas nav jādara.
notify-digest-subject = Kas Duly gaida jūsu uzmanību ({ $count })
notify-digest-intro = Lūk, kas noticis kopš iepriekšējā kopsavilkuma.
notify-digest-more = Gaida nākamo kopsavilkumu: { $count }.
