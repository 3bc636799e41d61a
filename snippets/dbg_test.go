package snippets
import ("testing";"os";"github.com/biztel-tools/biztel-doctor/content")
func TestDbg(t *testing.T){ v:=os.Getenv("V"); if v==""{t.Skip()}; p:=sites()[0].p; out,err:=Render(v,&p,content.En); if err!=nil{t.Fatal(err)}; os.WriteFile("/tmp/out_"+v+".txt",[]byte(out),0644)}
