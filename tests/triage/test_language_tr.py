"""Turkish (knowledge/languages/tr.yml): emergencies written in Turkish, with or without Turkish letters
(ı ş ğ ç ö ü typed as i s g c o u), are read through its glossary by the English red-flag rules;
negated findings, someone else's past, hypothetical questions and plain self-care are left alone.
Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("tr")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("Göğsüm çok ağrıyor ve nefes alamıyorum", "pe_signs"),
    ("gogsum agriyor ve nefes alamiyorum", "pe_signs"),
    ("Öksürünce kan geliyor ve nefesim daralıyor", "pe_signs"),
    ("bu sabahtan beri nefes alırken göğsümde batma var", "pe_signs"),
    ("Göğsümde baskı var, sol koluma vuruyor ve soğuk ter döküyorum", "cardiac_signs"),
    ("Göğsümde ağırlık var, çeneme vuruyor ve midem bulanıyor", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Birden yüzüm kaydı ve konuşmam bozuldu", "stroke_signs"),
    ("agzim kaydi ve kolumu kaldiramiyorum", "stroke_signs"),
    ("vucudumun bir tarafi guçsuz, dilim dolasiyor", "stroke_signs"),
    ("annem şu an yanımda, ağzı çarpıldı ve garip konuşuyor, ne yapmalıyım", "stroke_signs"),
    ("babam bir saattir konuşamıyor, yüzü kaydı, ne yapmalıyım", "stroke_signs"),
    ("bir saat önce sağ kolum ve bacağım güçsüzleşti", "stroke_signs"),
    # self_harm
    ("Artık yaşamak istemiyorum, ölmek istiyorum", "self_harm"),
    ("herkese yuk oluyorum, bensiz daha iyi olurlar", "self_harm"),
    ("kendimi öldürmeyi düşünüyorum, hapları biriktirdim", "self_harm"),
    # sepsis_meningitis
    ("Yüksek ateşim var, ensem tutuldu ve ışık gözümü acıtıyor", "sepsis_meningitis"),
    ("atesim var ve kafam karisik, cildim alaca bulaca", "sepsis_meningitis"),
    ("ateş ve döküntü var, bardakla bastırınca kaybolmuyor", "sepsis_meningitis"),
    # limb_ischaemia
    ("bacağım birden buz gibi oldu ve bembeyaz, hissetmiyorum", "limb_ischaemia"),
    ("ayagim birden buz gibi soguk ve bembeyaz oldu, hissetmiyorum", "limb_ischaemia"),
    # cauda_equina
    ("Belim ağrıyor ve bacaklarımın arası uyuştu", "cauda_equina"),
    ("Belim çok ağrıyor, dün geceden beri idrarımı tutamıyorum", "cauda_equina"),
    ("sirtim agriyor ve iki bacagim da guçsuz", "cauda_equina"),
    # compartment_signs
    ("Bacağım alçıda, çok sıkı ve ağrı dayanılmaz, ağrı kesiciler işe yaramıyor", "compartment_signs"),
    ("baldırıma darbe aldı, taş gibi sert ve şişti", "compartment_signs"),
    # rhabdo_signs
    ("spor salonundan sonra idrarım koyu, kola gibi", "rhabdo_signs"),
    ("antrenmandan sonra kaslarim cok agriyor ve idrarim cay renginde", "rhabdo_signs"),
    # dvt_signs
    ("Baldırım şişti, kızardı ve sıcak", "dvt_signs"),
    ("Sol baldırım dünden beri şişmiş ve kırmızı", "dvt_signs"),
    # the codes that refer or caution
    ("merdivenden düştüm, ayak bileğim şişti, üzerine basamıyorum", "acute_injury"),
    ("yaramdan irin geliyor ve kızarıklık yayılıyor", "infection_signs"),
    ("dünden beri kusuyorum ve ishalim var, kramplar da var", "systemic_illness"),
    ("üç hafta önce dizimden ameliyat oldum, masaj olabilir miyim", "recent_surgery"),
    ("kolesterol ilacına başladım, o zamandan beri kramp giriyor", "medication_related"),
    ("şu anda baldırımda çok şiddetli kramp var, taş gibi", "active_spasm"),
])
def test_turkish_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # negated
    ("Ağrım yok, göğsüm ağrımıyor, nefesim iyi", "cardiac_signs"),
    ("ateşim yok, ense sertliği yok, sadece baldırımda kramp var", "sepsis_meningitis"),
    ("baldırım şiş değil, kırmızı değil", "dvt_signs"),
    # someone else's past
    ("babam yıllar önce felç geçirdi", "stroke_signs"),
    ("annemin geçen yıl bacağında pıhtı vardı", "dvt_signs"),
    # hypothetical
    ("kalp krizinin belirtileri nelerdir, sadece merak ediyorum", "cardiac_signs"),
    ("eğer göğsüm ağrırsa ne yapmalıyım", "cardiac_signs"),
    # plain self-care
    ("baldırımdaki krampı nasıl esnetebilirim", "dvt_signs"),
    ("kramp için masaj mı, sıcak mı, buz mu iyi", "active_spasm"),
])
def test_turkish_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)
