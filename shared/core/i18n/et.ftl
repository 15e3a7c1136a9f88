# Eesti. $what on arve kirjeldus (what-single / what-several), alati kooloni järel.
days-count = { $days ->
    [one] { $days } päev
   *[other] { $days } päeva
}
what-single = arve { $number } ({ $amount })
what-several = { $count } tasumata arvet, kokku { $amount }
subject-before = Maksetähtaeg { $due }: { $what }
subject-overdue = Meeldetuletus: { $what }
subject-firm = Teine meeldetuletus: { $what }
subject-final = Viimane meeldetuletus: { $what }
subject-suspension = Teenuse peatamine { $stop }: { $what }
subject-thanks = Täname makse eest
greeting = Tere, { $name }!
body-before = Tuletame sõbralikult meelde, et { $due } saabub järgmise makse tähtaeg: { $what }.
body-before-2 = Kui olete makse juba teele saatnud, täname teid ja palume seda kirja mitte arvestada.
body-overdue = Me ei ole veel kätte saanud makset, mille tähtaeg oli { $due } (üle tähtaja { days-count }): { $what }.
body-overdue-2 = Võib-olla jäi see lihtsalt märkamata. Oleksime tänulikud, kui saaksite selle lähiajal tasuda.
body-firm = Järgmine makse on nüüdseks tähtajast { days-count } hiljaks jäänud: { $what }.
body-firm-2 = Palun tasuge arve või vastake sellele kirjale, kui midagi takistab, et saaksime asja koos lahendada.
body-final = Vaatamata varasematele meeldetuletustele on järgmine makse endiselt tasumata (üle tähtaja { days-count }): { $what }.
body-final-2 = Palume tasuda 7 päeva jooksul või võtta meiega ühendust, kui arvega on mõni probleem. Leiame meelsasti koos lahenduse.
body-suspension = Järgmine makse on endiselt tasumata (üle tähtaja { days-count }): { $what }.
body-suspension-2 = Kui makse ei jõua meieni enne { $stop }, peame sel päeval teie teenuse peatama. Teenus taastub kohe, kui arve on tasutud.
body-suspension-3 = Kui makse on juba teel või soovite kokku leppida maksegraafiku, vastake lihtsalt sellele kirjale.
body-thanks = Täname! Oleme kätte saanud teie makse: { $what }.
body-thanks-2 = Teie arved on tasutud. Hindame väga meie koostööd.
closing = Täname koostöö eest.
sign-off = Lugupidamisega
label-invoice = Arve
label-due-date = Maksetähtaeg
label-amount-due = Tasuda
label-total = Kokku tasuda
label-pay-now = Maksa kohe
label-questions = Küsimusi arve kohta? Kirjutage aadressil
overdue-days = üle tähtaja { days-count }
answer-intro = Kas olete juba tasunud või vajate rohkem aega? Andke meile teada:
answer-paid = Olen juba tasunud
answer-promise = Tasun kindlaks kuupäevaks
answer-dispute = Vaidlustan arve
unsubscribe = Ei soovi enne tähtaega meeldetuletusi? Loobu neist
label-registry = Registrikood
label-vat = KMKR
bank-transfer = Pangaülekanne: IBAN { $iban }; palun märkige selgitusse arve number.
sms-what-single = arve { $number }, { $amount }
sms-what-several = { $count } arvet, { $amount }
sms-before = { $creditor }: meeldetuletus, tähtaeg { $due }: { $what }
sms-overdue = { $creditor }: tähtaeg oli { $due }: { $what }. Palun tasuge
sms-firm = { $creditor }: üle tähtaja { days-count }: { $what }. Palun tasuge
sms-final = { $creditor }: viimane meeldetuletus: { $what }. Palun tasuge 7 päeva jooksul
sms-suspension = { $creditor }: tasumata { $what }. Teenus peatub { $stop }
sms-thanks = { $creditor }: täname, makse on kätte saadud.
answer-title-paid = Olen juba tasunud
answer-title-promise = Tasun kindlaks kuupäevaks
answer-title-dispute = Vaidlustan arve
answer-title-unsubscribe = Ilma meeldetuletusteta enne tähtaega
answer-ask-paid = Andke ettevõttele { $creditor } teada, et olete juba tasunud: { $what }. Meeldetuletused peatuvad 7 päevaks, kuni makse kohale jõuab.
answer-ask-promise = Andke ettevõttele { $creditor } teada, mis kuupäevaks tasute: { $what }. Meeldetuletused ootavad seni.
answer-ask-dispute = Kirjutage ettevõttele { $creditor }, mis on valesti: { $what }. Meeldetuletused peatuvad, kuni asi on üle vaadatud.
answer-ask-unsubscribe = Loobuge ettevõtte { $creditor } sõbralikest meeldetuletustest enne maksetähtaega. Tähtaja ületanud arvete meeldetuletused tulevad edasi.
answer-date = Makse kuupäev
answer-reason = Mis on valesti?
answer-send = Saada
answer-done-paid = Aitäh! Ettevõttele { $creditor } on teada antud ja meeldetuletused peatuvad 7 päevaks.
answer-done-promise = Aitäh! Ettevõttele { $creditor } on teada antud, et tasute hiljemalt { $date }.
answer-done-dispute = Aitäh! Ettevõttele { $creditor } on teada antud ja nad võtavad teiega ühendust.
answer-done-unsubscribe = Valmis. { $creditor } ei saada enam meeldetuletusi enne maksetähtaega.
answer-invalid = See link ei tööta. Palun kasutage viimase kirja linki või vastake e-kirjale.
answer-expired = Selle lingi kehtivus on lõppenud. Palun vastake selle asemel e-kirjale.
answer-bad-date = Palun valige kuupäev tänasest kuni 90 päeva ette.
statement-more = { $count ->
    [one] veel { $count } tasumata arve
   *[other] veel { $count } tasumata arvet
}, kokku { $amount }
label-see-all = Vaata kõiki tasumata arveid
statement-title = { $creditor }: tasumata arved
statement-empty = Tasumata arveid ei ole. Aitäh!
